#!/usr/bin/env bash
# Prints one SHA-256 over the .proto files under Schemas/ and the catalog's
# generator (scripts/generate-catalog.py): each file's path and content, in
# sorted path order. The generated Swift code records it.
set -euo pipefail
cd "$(dirname "$0")/.."
{ find Schemas -name '*.proto'; echo scripts/generate-catalog.py; } | LC_ALL=C sort | while read -r f; do
  printf '%s\n' "$f"
  cat "$f"
done | sha256sum | cut -d' ' -f1
