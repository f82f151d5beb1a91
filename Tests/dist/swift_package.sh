#!/usr/bin/env bash
# A Swift app as the README says to write one (make test-dist-swift): a throwaway package in a
# temp dir outside the repository whose Package.swift uses the README's `dependencies` (the
# path form) and `.product(name:package:)` lines, and whose main.swift is the README's Swift
# snippet; it builds (debug) and its output is checked.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(cat "$root/VERSION")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# The package identity of a path dependency is its directory name: the README's lines name
# the checkout x402-secure-core, whatever this clone's directory is called.
ln -s "$root" "$tmp/x402-secure-core"
app="$tmp/app"
mkdir -p "$app/Sources/App"
deps="$(bash "$here/readme_snippet.sh" "$root/README.md" swift-package | grep -E '^\s*\.package\(path:')"
product="$(bash "$here/readme_snippet.sh" "$root/README.md" swift-package | grep -E '\.product\(name:')"
cat >"$app/Package.swift" <<SWIFT
// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "App",
    dependencies: [
$deps
    ],
    targets: [
        .executableTarget(name: "App", dependencies: [
$product
        ]),
    ]
)
SWIFT
bash "$here/readme_snippet.sh" "$root/README.md" swift >"$app/Sources/App/main.swift"
cd "$app"
nice -n 5 "${SWIFT:-swift}" build --product App >build.log 2>&1 || { cat build.log; echo "FAIL: swift build" >&2; exit 1; }
out="$(.build/debug/App)"
echo "$out"
[ "$out" = "x402secure $version: signed by 0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1" ] || { echo "FAIL: unexpected output" >&2; exit 1; }
echo "ok: a package depending on x402-secure-core by path builds and runs the README's Swift snippet"
echo "swift package: 1 passed, 0 failed"
