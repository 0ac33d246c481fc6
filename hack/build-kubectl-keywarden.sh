#!/usr/bin/env bash
# Builds the kubectl plugin in plugin/kubectl-keywarden (Go standard library only, so no module
# downloads) into ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/kubectl-keywarden/<source hash>/bin.
# A change to the plugin's sources is a new hash, so a new build; the same sources build once.
# Idempotent and safe to call concurrently; prints the bin dir on its last line (stdout is only that).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
src="$repo/plugin/kubectl-keywarden"
version="$(cd "$src" && find . -name '*.go' ! -name '*_test.go' -o -name go.mod | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)"

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/kubectl-keywarden/$version"
bin="$root/bin"

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if [[ -x "$bin/kubectl-keywarden" ]]; then
  echo "$bin"
  exit 0
fi

echo "build-kubectl-keywarden: building $version" >&2
rm -rf "$root/bin.tmp"
mkdir -p "$root/bin.tmp"
(cd "$src" && CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" go build -ldflags "-s -w" -o "$root/bin.tmp/kubectl-keywarden" .)
rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
echo "$bin"
