#!/usr/bin/env bash
# Generates the API reference from crds/ with jsonschema2md (hack/api-reference.py says how).
# make docs writes docs/api-reference.md; ApiReferenceIT writes to a temporary file and compares.
#
# Usage: hack/api-reference.sh [PAGE]    (default: docs/api-reference.md)
set -euo pipefail
cd "$(dirname "$0")/.."
page="$(realpath -m "${1:-docs/api-reference.md}")"
bin="$(hack/docs-tools.sh | tail -n 1)"
"$bin/python" hack/api-reference.py crds "$page"
echo "$page"
