"""Build step of the x402secure wheel: put the native library into the package.

The package is pure Python over ctypes plus one native file, ``x402secure/_lib/libx402secure.so``
(no CPython extension), so a wheel is tagged ``py3-none-<platform>``: one wheel serves every
CPython >= 3.9 of that platform. Where the library comes from, in order:

1. ``X402SECURE_BUILD_LIB=/path/to/libx402secure.so``: that file (``make dist`` passes the
   library it built; ``scripts/dist.py`` then bundles its C dependencies with auditwheel);
2. the core's Swift sources (an sdist carries them under ``core/``; a source checkout has them
   two directories up): built by ``scripts/swift_release.sh`` when ``swift`` is on PATH;
3. otherwise the build stops with one message saying what to do.

The copy is stripped. Editable installs (``pip install -e``) skip this step: the loader finds
``<repo>/build/lib/libx402secure.so`` (``make lib``) or ``X402SECURE_LIB``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py
from setuptools.errors import SetupError

from setuptools.command.bdist_wheel import bdist_wheel  # setuptools >= 70.1 (pyproject: >= 77)

HERE = Path(__file__).resolve().parent
LIB_NAME = "libx402secure.so"

NO_TOOLCHAIN = """
x402secure: cannot build the native library (libx402secure.so) for this installation:
{why}.
Do one of these:
  - install a prebuilt wheel instead (Linux x86-64 with glibc >= 2.34, any CPython >= 3.9):
        pip install --only-binary x402secure x402secure
  - install Swift 6.1 or newer (https://www.swift.org/install) and the Debian/Ubuntu packages
        libsecp256k1-dev libsodium-dev libssl-dev pkg-config
    then run the same pip command again;
  - or build the library elsewhere (`make lib` in the repository) and set
        X402SECURE_BUILD_LIB=/path/to/libx402secure.so
    for this pip command.
""".rstrip()


def core_sources() -> "Path | None":
    """The directory holding the core's Package.swift: core/ (sdist) or the repository root."""
    for candidate in (HERE / "core", HERE.parent.parent):
        if (candidate / "Package.swift").is_file() and (candidate / "scripts" / "swift_release.sh").is_file():
            return candidate
    return None


def build_with_swift() -> Path:
    core = core_sources()
    if core is None:
        raise SetupError(NO_TOOLCHAIN.format(why="this source tree has no Swift sources of the core"))
    swift = os.environ.get("SWIFT", "swift")
    if shutil.which(swift) is None:
        raise SetupError(NO_TOOLCHAIN.format(why=f"no Swift toolchain (`{swift}`) on PATH"))
    if shutil.which("pkg-config") is None:
        raise SetupError(NO_TOOLCHAIN.format(why="pkg-config is not installed"))
    print(f"x402secure: building libx402secure.so with Swift in {core} (a few minutes)", flush=True)
    done = subprocess.run(
        ["bash", str(core / "scripts" / "swift_release.sh"), "x402secure"],
        cwd=core, stdout=subprocess.PIPE, text=True,
    )
    if done.returncode != 0:
        raise SetupError(
            "x402secure: the Swift build of libx402secure.so failed (its output is above); "
            "it needs Swift 6.1+ and the packages libsecp256k1-dev libsodium-dev libssl-dev pkg-config"
        )
    return Path(done.stdout.strip().splitlines()[-1])


class BuildPy(build_py):
    """build_py plus x402secure/_lib/libx402secure.so (stripped)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        given = os.environ.get("X402SECURE_BUILD_LIB")
        if given:
            source = Path(given)
            if not source.is_file():
                raise SetupError(f"x402secure: X402SECURE_BUILD_LIB={given} does not exist")
        else:
            source = build_with_swift()
        target = Path(self.build_lib) / "x402secure" / "_lib" / LIB_NAME
        target.parent.mkdir(parents=True, exist_ok=True)
        strip = shutil.which("strip")
        if strip:
            subprocess.run([strip, "--strip-unneeded", "-o", str(target), str(source)], check=True)
        else:
            shutil.copyfile(source, target)
        target.chmod(0o755)


class PlatformDistribution(Distribution):
    """The wheel carries a native library: platlib, not purelib (auditwheel requires it)."""

    def has_ext_modules(self) -> bool:
        return True


class BdistWheel(bdist_wheel):
    """A platform wheel for any CPython 3: py3-none-<platform> (ctypes needs no CPython ABI)."""

    def get_tag(self):
        _, _, platform = super().get_tag()
        return "py3", "none", platform


setup(distclass=PlatformDistribution, cmdclass={"build_py": BuildPy, "bdist_wheel": BdistWheel})
