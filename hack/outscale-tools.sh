#!/usr/bin/env bash
# Creates (once) the Python venv that holds keywarden's Outscale test tools, all from PyPI:
#   osc-sdk          the official Outscale CLI (`osc-cli`), run against the OAPI stand-in exactly as
#                    the reference page (shared/reference/003) shows it
#   osc-sdk-python   the official Python SDK: a second, independent client for the stand-in, and the
#                    package that ships the official OpenAPI description of the OUTSCALE API
#                    (osc_sdk_python/resources/outscale.yaml), which the stand-in validates every
#                    request and response against. The spec is read from here, never committed.
# The venv lives in ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/outscale-venv. A stamp file records
# the pinned versions; when it matches, the script only prints, so it is cheap to call before every
# test run. Bump a pin here and the venv is rebuilt (a new osc-sdk-python brings a new spec).
#
# Prints two lines on stdout:
#   bin=<the venv's bin directory>
#   spec=<the OpenAPI file shipped by osc-sdk-python>
set -euo pipefail

OSC_CLI_VERSION=1.11.0       # PyPI osc-sdk: provides osc-cli
OSC_SDK_PYTHON_VERSION=0.42.0

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
venv="$cache/outscale-venv"
stamp="$venv/.keywarden-stamp"
want="python=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') osc-sdk==$OSC_CLI_VERSION osc-sdk-python==$OSC_SDK_PYTHON_VERSION"

spec_path() {
  "$venv/bin/python" -c 'import importlib.resources as r; print(r.files("osc_sdk_python") / "resources" / "outscale.yaml")'
}

report() {
  local spec
  spec="$(spec_path)"
  [[ -f "$spec" ]] || { echo "keywarden: osc-sdk-python ships no $spec" >&2; exit 1; }
  echo "bin=$venv/bin"
  echo "spec=$spec"
}

current() {
  [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/osc-cli" && -x "$venv/bin/python" ]]
}

if current; then
  report
  exit 0
fi

mkdir -p "$cache"
# The stamp is written last, so a half-built venv is never mistaken for a good one; the lock keeps
# concurrent callers (parallel test JVMs) from building over each other.
exec 9>"$cache/outscale-venv.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  if current; then
    report
    exit 0
  fi
fi

echo "keywarden: building $venv ($want)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "osc-sdk==$OSC_CLI_VERSION" "osc-sdk-python==$OSC_SDK_PYTHON_VERSION" >&2
"$venv/bin/osc-cli" --version >&2
"$venv/bin/python" -c 'import osc_sdk_python' >&2
printf '%s' "$want" >"$stamp"
report
