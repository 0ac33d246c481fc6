#!/usr/bin/env bash
# Provides promtool for the chart's alert rule tests (AlertRulesIT): the binary from Debian's
# `prometheus` package, unpacked (not installed, so no server starts) into
# ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/promtool/<version>/bin. Building promtool from the Go
# module proxy instead compiles most of Prometheus (well over the CI budget on a 2-core machine).
# Idempotent and safe to call concurrently; prints the bin dir on its last line.
set -euo pipefail

PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/promtool/${PROMETHEUS_DEB_VERSION%%+*}"
bin="$root/bin"

log() { echo "build-promtool: $*" >&2; }

up_to_date() {
  [[ -x "$bin/promtool" ]] && "$bin/promtool" --version 2>&1 | grep -q "version ${PROMETHEUS_DEB_VERSION%%+*}"
}

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if up_to_date; then
  echo "$bin"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "fetching Debian's prometheus $PROMETHEUS_DEB_VERSION for its promtool"
(cd "$work" && { apt-get download "prometheus=$PROMETHEUS_DEB_VERSION" >&2 ||
  { apt-get update -qq >&2 && apt-get download "prometheus=$PROMETHEUS_DEB_VERSION" >&2; }; })
dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
rm -rf "$root/bin.tmp"
mkdir -p "$root/bin.tmp"
cp "$work/root/usr/bin/promtool" "$root/bin.tmp/"
rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "promtool does not report ${PROMETHEUS_DEB_VERSION%%+*}"; "$bin/promtool" --version >&2; exit 1; }
echo "$bin"
