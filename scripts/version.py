#!/usr/bin/env python3
"""The one release version (the VERSION file) and the copies that must agree with it.

    scripts/version.py                 print the version
    scripts/version.py --set 0.2.0     write VERSION and every copy below
    scripts/version.py --verify [--lib build/lib/libx402secure.so] [--cli build/bin/x402secure]
                                       check every copy (and the built library's
                                       x402s_version_string() and the CLI's --version); exit 1
                                       on any mismatch. `make test` runs this.

The copies exist because each package format needs the number in its own file; none is
edited by hand: --set writes them all. CHANGELOG.md must have a section for the version.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")

# file -> (regex with one group around the version, replacement template)
COPIES = {
    "Sources/X402Secure/Version.swift": (
        r'(public static let string: StaticString = ")([^"]*)(")', r"\g<1>{v}\g<3>"),
    "bindings/python/pyproject.toml": (
        r'(?m)(^version = ")([^"]*)(")', r"\g<1>{v}\g<3>"),
    "bindings/python/src/x402secure/__init__.py": (
        r'(?m)(^__version__ = ")([^"]*)(")', r"\g<1>{v}\g<3>"),
    "bindings/node/package.json": (
        r'(?m)(^  "version": ")([^"]*)(")', r"\g<1>{v}\g<3>"),
}
CHANGELOG = "CHANGELOG.md"


def read_version() -> str:
    v = (ROOT / "VERSION").read_text().strip()
    if not SEMVER.match(v):
        sys.exit(f"version.py: VERSION holds {v!r}, not a semantic version")
    return v


def copy_value(rel: str) -> "str | None":
    pattern, _ = COPIES[rel]
    m = re.search(pattern, (ROOT / rel).read_text())
    return m.group(2) if m else None


def set_version(v: str) -> None:
    if not SEMVER.match(v):
        sys.exit(f"version.py: {v!r} is not a semantic version")
    (ROOT / "VERSION").write_text(v + "\n")
    for rel, (pattern, template) in COPIES.items():
        path = ROOT / rel
        text, n = re.subn(pattern, template.format(v=v), path.read_text(), count=1)
        if n != 1:
            sys.exit(f"version.py: no version found in {rel}")
        path.write_text(text)
    print(f"version {v} written; add its section to {CHANGELOG}")


def changelog_versions() -> "list[str]":
    text = (ROOT / CHANGELOG).read_text()
    return re.findall(r"(?m)^## \[([^\]]+)\]", text)


def verify(lib: "str | None", cli: "str | None") -> int:
    v = read_version()
    checks = []  # (what, got, ok)
    for rel in COPIES:
        got = copy_value(rel)
        checks.append((rel, got, got == v))
    # package.json must also stay valid JSON with that version
    pkg = json.loads((ROOT / "bindings/node/package.json").read_text())
    checks.append(("package.json (parsed)", pkg.get("version"), pkg.get("version") == v))
    versions = changelog_versions()
    first = versions[0] if versions else None
    checks.append((f"{CHANGELOG} (newest section)", first, first == v))
    if lib:
        dll = ctypes.CDLL(lib)
        dll.x402s_version_string.restype = ctypes.c_char_p
        got = dll.x402s_version_string().decode()
        checks.append((f"x402s_version_string() of {lib}", got, got == v))
    if cli:
        out = subprocess.run([cli, "--version"], capture_output=True, text=True)
        got = out.stdout.strip()
        checks.append((f"{cli} --version", got, out.returncode == 0 and got == v))
    failed = 0
    for what, got, ok in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {what}: {got}")
        failed += not ok
    print(f"version {v}: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", metavar="X.Y.Z")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--lib", help="built libx402secure.so whose x402s_version_string() to check")
    ap.add_argument("--cli", help="built x402secure CLI whose --version to check")
    a = ap.parse_args()
    if a.set:
        set_version(a.set)
        return 0
    if a.verify:
        return verify(a.lib, a.cli)
    print(read_version())
    return 0


if __name__ == "__main__":
    sys.exit(main())
