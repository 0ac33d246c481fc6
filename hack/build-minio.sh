#!/usr/bin/env bash
# Builds the MinIO server and the MinIO client (mc) at pinned commits from the Go module
# proxy into ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/minio/<version>/bin.
# MinIO and mc are AGPL-3.0: fine for a test peer that keywarden never ships or links.
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail

# Neither repository tags semver releases (their tags are RELEASE.<date>), so the proxy serves
# pseudo-versions only. These are the newest ones it serves; both build with Go 1.26.
MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MC_VERSION=v0.0.0-20250313080218-cf909e1063a9

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/minio/${MINIO_VERSION}_mc-${MC_VERSION}"
bin="$root/bin"

log() { echo "build-minio: $*" >&2; }

# The commit time and short hash a pseudo-version names: v0.0.0-20260212201848-7aac2a2c5b7c
pseudo_time() { local t="${1#v0.0.0-}"; t="${t%%-*}"; echo "${t:0:4}-${t:4:2}-${t:6:2}T${t:8:2}:${t:10:2}:${t:12:2}Z"; }
pseudo_commit() { echo "${1##*-}"; }

minio_time="$(pseudo_time "$MINIO_VERSION")" minio_commit="$(pseudo_commit "$MINIO_VERSION")"
mc_time="$(pseudo_time "$MC_VERSION")" mc_commit="$(pseudo_commit "$MC_VERSION")"

# What `<name> --version` prints first when built with ldflags below.
banner() { local time="$1" commit="$2"; echo "version DEVELOPMENT.${time//:/-} (commit-id=$commit)"; }

up_to_date() {
  [[ -x "$bin/minio" && -x "$bin/mc" ]] &&
    [[ "$("$bin/minio" --version 2>/dev/null | head -n1)" == "minio $(banner "$minio_time" "$minio_commit")" ]] &&
    [[ "$("$bin/mc" --version 2>/dev/null | head -n1)" == "mc $(banner "$mc_time" "$mc_commit")" ]]
}

# The -X variables of MinIO's buildscripts/gen-ldflags.go (mc has the same ones), so --version
# names the pin; the proxy records only the commit time and a 12-character hash. mc derives
# ShortCommitID itself.
ldflags() {
  local pkg="$1" time="$2" commit="$3"
  echo "-s -w -X $pkg.Version=$time -X $pkg.ReleaseTag=DEVELOPMENT.${time//:/-}" \
    "-X $pkg.CommitID=$commit -X $pkg.CopyrightYear=${time:0:4}"
}

mkdir -p "$root"
exec 9>"$root/.lock"
flock 9
if up_to_date; then
  echo "$bin"
  exit 0
fi

export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
start=$SECONDS
rm -rf "$root/bin.tmp"
mkdir "$root/bin.tmp"

# go install pkg@version builds with the module's own go.mod (neither has replace directives).
log "building minio $MINIO_VERSION (first time takes several minutes)"
GOBIN="$root/bin.tmp" go install -p 2 \
  -ldflags "$(ldflags github.com/minio/minio/cmd "$minio_time" "$minio_commit")" \
  "github.com/minio/minio@$MINIO_VERSION"
log "building mc $MC_VERSION"
GOBIN="$root/bin.tmp" go install -p 2 \
  -ldflags "$(ldflags github.com/minio/mc/cmd "$mc_time" "$mc_commit")" \
  "github.com/minio/mc@$MC_VERSION"

rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built binaries do not report the expected versions"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
