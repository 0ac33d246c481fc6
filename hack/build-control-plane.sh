#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd of one pinned Kubernetes release from the
# Go module proxy into ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/<version>/bin.
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail
source "$(dirname "$0")/k8s-release.sh"

root="$k8s_root"
bin="$root/bin"

log() { echo "build-control-plane: $*" >&2; }

up_to_date() {
  [[ -x "$bin/kube-apiserver" && -x "$bin/kubectl" && -x "$bin/etcd" ]] &&
    [[ "$("$bin/kube-apiserver" --version 2>/dev/null)" == "Kubernetes $K8S_VERSION" ]] &&
    [[ "$("$bin/kubectl" version --client 2>/dev/null)" == "Client Version: $K8S_VERSION"$'\n'* ]] &&
    [[ "$("$bin/etcd" --version 2>/dev/null)" == "etcd Version: ${ETCD_VERSION#v}"$'\n'* ]]
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
start=$SECONDS

grep -Eq "^\s+go\.etcd\.io/etcd/server/v3 $ETCD_VERSION( |\$)" "$(gomod "k8s.io/kubernetes@$K8S_VERSION")" ||
  { log "k8s.io/kubernetes@$K8S_VERSION does not require etcd $ETCD_VERSION; update ETCD_VERSION"; exit 1; }

log "building kube-apiserver and kubectl $K8S_VERSION (first time takes a while)"
rm -rf "$root/bin.tmp"
k8s_build "$work/k8s" "$root/bin.tmp" kube-apiserver kubectl

# etcd: the module root of go.etcd.io/etcd/server/v3 is the etcd main package; it is
# built in a wrapper module of its own so that it gets etcd's dependency versions.
log "building etcd $ETCD_VERSION"
mkdir "$work/etcd"
emod="$(gomod "go.etcd.io/etcd/server/v3@$ETCD_VERSION")"
{
  echo "module keywarden.local/etcd-build"
  grep -E '^go ' "$emod"
} >"$work/etcd/go.mod"
(
  cd "$work/etcd"
  export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go build -p 2 -ldflags "-s -w" -o "$root/bin.tmp/etcd" go.etcd.io/etcd/server/v3
)

rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built binaries do not report the expected versions"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
