#!/usr/bin/env bash
# Builds promtool of one pinned Prometheus release from the Go module proxy into
# ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/promtool/<version>/bin/promtool. The chart's alert rule
# tests (PrometheusRulesIT) run it. Idempotent and safe to call concurrently; prints the bin dir on
# its last line (progress goes to stderr, so stdout is only that line).
set -euo pipefail

PROMETHEUS_MODULE_VERSION=v0.316.0   # Prometheus 3.16.0: the module's v0.3XX.Y is release 3.XX.Y
PROMETHEUS_VERSION=3.16.0

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/promtool/$PROMETHEUS_VERSION"
bin="$root/bin"

log() { echo "build-promtool: $*" >&2; }

up_to_date() {
  [[ -x "$bin/promtool" ]] && "$bin/promtool" --version 2>&1 | grep -q "version $PROMETHEUS_VERSION "
}

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if up_to_date; then
  echo "$bin"
  exit 0
fi

start=$SECONDS
log "building promtool $PROMETHEUS_VERSION"
rm -rf "$root/bin.tmp"
CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOBIN="$root/bin.tmp" \
  go install -p 1 -tags netgo,builtinassets \
  -ldflags "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
  "github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS_MODULE_VERSION"
rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built promtool does not report $PROMETHEUS_VERSION"; "$bin/promtool" --version >&2; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
