#!/usr/bin/env bash
# Creates (once) the Python venv that holds keywarden's Python test peers and reference CLIs:
#   moto[server]  the AWS IAM/STS stand-in (moto_server), run by the *IT tests
#   awscli        AWS CLI v1, run side by side with keywarden against the same moto
# The venv lives in ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/venv. A stamp file records the
# pinned versions; when it matches, the script does nothing but print the bin dir, so it is
# cheap to call before every test run. Bump a pin here and the venv is rebuilt.
#
# Last line of stdout: the venv's bin directory.
set -euo pipefail

MOTO_VERSION=5.2.5
AWSCLI_VERSION=1.46.3

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
venv="$cache/venv"
stamp="$venv/.keywarden-stamp"
want="python=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])') moto[server]==$MOTO_VERSION awscli==$AWSCLI_VERSION"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/moto_server" && -x "$venv/bin/aws" ]]; then
  echo "$venv/bin"
  exit 0
fi

mkdir -p "$cache"
# The stamp is written last, so a half-built venv is never mistaken for a good one; the lock
# keeps two concurrent callers (parallel test JVMs) from building over each other.
lock="$cache/venv.lock"
exec 9>"$lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
  # Someone else may have finished while we waited.
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$venv/bin/moto_server" && -x "$venv/bin/aws" ]]; then
    echo "$venv/bin"
    exit 0
  fi
fi

echo "keywarden: building $venv ($want)" >&2
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "moto[server]==$MOTO_VERSION" "awscli==$AWSCLI_VERSION" >&2
"$venv/bin/moto_server" --help >/dev/null
"$venv/bin/aws" --version >&2
printf '%s' "$want" >"$stamp"
echo "$venv/bin"
