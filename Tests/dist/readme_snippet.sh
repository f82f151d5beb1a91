#!/usr/bin/env bash
# Prints the fenced code block that follows the marker line `<!-- snippet: NAME -->` in the
# README, so the tests build exactly what the README shows.
# Usage: readme_snippet.sh README.md NAME
set -euo pipefail
readme="${1:?usage: readme_snippet.sh README NAME}"
name="${2:?usage: readme_snippet.sh README NAME}"
awk -v marker="<!-- snippet: $name -->" '
  index($0, marker) { found = 1; next }
  found == 1 && /^```/ { found = 2; next }
  found == 2 && /^```/ { exit }
  found == 2 { print }
' "$readme" | { out="$(cat)"; [ -n "$out" ] || { echo "readme_snippet.sh: no snippet $name in $readme" >&2; exit 1; }; printf '%s\n' "$out"; }
