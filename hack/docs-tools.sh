#!/usr/bin/env bash
# Creates (once) the Python venv that holds the generator of docs/api-reference.md:
#   jsonschema2md  (PyPI) renders a JSON Schema as Markdown; hack/api-reference.sh feeds it the
#                  openAPIV3Schema of each CRD in crds/
# Its dependencies are pinned too, since they shape the page (Babel joins the enum lists), so the
# same CRDs always give the same page and ApiReferenceIT can compare it byte for byte.
# The venv lives in ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/docs-venv. A stamp file records the
# pinned versions; when it matches, the script does nothing but print the bin dir, so it is cheap
# to call before every run. Bump a pin here and the venv is rebuilt (then run make docs).
#
# Last line of stdout: the venv's bin directory.
set -euo pipefail

JSONSCHEMA2MD_VERSION=1.7.0
BABEL_VERSION=2.19.0
MARKDOWN_VERSION=3.11.3
PYYAML_VERSION=6.0.4

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
venv="$cache/docs-venv"
stamp="$venv/.keywarden-stamp"
pins=("jsonschema2md==$JSONSCHEMA2MD_VERSION" "babel==$BABEL_VERSION" "markdown==$MARKDOWN_VERSION" "PyYAML==$PYYAML_VERSION")
want="python=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') ${pins[*]}"

current() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/jsonschema2md" && -x "$venv/bin/python" ]]
}

if current; then
  echo "$venv/bin"
  exit 0
fi

mkdir -p "$cache"
# The stamp is written last, so a half-built venv is never mistaken for a good one; the lock keeps
# concurrent callers (make docs while the tests run) from building over each other.
exec 9>"$cache/docs-venv.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if current; then
    echo "$venv/bin"
    exit 0
  fi
fi

echo "keywarden: building $venv ($want)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${pins[@]}" >&2
"$venv/bin/jsonschema2md" --version >&2
printf '%s' "$want" >"$stamp"
echo "$venv/bin"
