#!/usr/bin/env bash
# Builds the helm CLI of one pinned release from the Go module proxy into
# ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/helm/<version>/bin/helm.
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail

HELM_VERSION=v4.3.1

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/helm/$HELM_VERSION"
bin="$root/bin"

log() { echo "build-helm: $*" >&2; }

up_to_date() {
  [[ -x "$bin/helm" ]] &&
    [[ "$("$bin/helm" version --template '{{.Version}}' 2>/dev/null)" == "$HELM_VERSION" ]]
}

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if up_to_date; then
  echo "$bin"
  exit 0
fi

start=$SECONDS
log "building helm $HELM_VERSION"
rm -rf "$root/bin.tmp"
# the same -X variables as Helm's own Makefile for a tagged release build; the proxy
# records no commit for the tag, so gitCommit stays empty
pkg=helm.sh/helm/v4/internal/version
CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false" GOBIN="$root/bin.tmp" \
  go install -p 1 \
  -ldflags "-s -w -X $pkg.version=$HELM_VERSION -X $pkg.metadata= -X $pkg.gitTreeState=clean" \
  "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"

rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built helm does not report $HELM_VERSION"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
