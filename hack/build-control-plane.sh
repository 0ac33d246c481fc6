#!/usr/bin/env bash
# Builds the control plane of one Kubernetes release from the Go module proxy into
# ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/<version>/bin:
#   build-control-plane.sh          kube-apiserver, kubectl and etcd of the pinned release
#   build-control-plane.sh oldest   kube-apiserver of the oldest claimed release, next to links
#                                   to the pinned release's kubectl and etcd
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail
source "$(dirname "$0")/k8s-release.sh"

log() { echo "build-control-plane: $*" >&2; }

case "${1:-pinned}" in
  pinned) version="$K8S_VERSION" ;;
  oldest) version="$K8S_OLDEST_VERSION" ;;
  *) log "usage: $0 [oldest]"; exit 2 ;;
esac
root="$(k8s_release_root "$version")"
bin="$root/bin"

# kubectl and etcd are the pinned release's in both cases
up_to_date() {
  [[ -x "$bin/kube-apiserver" && -x "$bin/kubectl" && -x "$bin/etcd" ]] &&
    [[ "$("$bin/kube-apiserver" --version 2>/dev/null)" == "Kubernetes $version" ]] &&
    [[ "$("$bin/kubectl" version --client 2>/dev/null)" == "Client Version: $K8S_VERSION"$'\n'* ]] &&
    [[ "$("$bin/etcd" --version 2>/dev/null)" == "etcd Version: ${ETCD_VERSION#v}"$'\n'* ]]
}

if [[ "$version" != "$K8S_VERSION" ]]; then
  pinned_bin="$("$0")" # outside this release's lock: it takes the pinned release's own
fi

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
rm -rf "$root/bin.tmp"

if [[ "$version" != "$K8S_VERSION" ]]; then
  log "building kube-apiserver $version (first time takes a while)"
  k8s_build "$version" "$work/k8s" "$root/bin.tmp" kube-apiserver
  ln -s "$pinned_bin/kubectl" "$pinned_bin/etcd" "$root/bin.tmp/"
else
  grep -Eq "^\s+go\.etcd\.io/etcd/server/v3 $ETCD_VERSION( |\$)" "$(gomod "k8s.io/kubernetes@$version")" ||
    { log "k8s.io/kubernetes@$version does not require etcd $ETCD_VERSION; update ETCD_VERSION"; exit 1; }

  log "building kube-apiserver and kubectl $version (first time takes a while)"
  k8s_build "$version" "$work/k8s" "$root/bin.tmp" kube-apiserver kubectl

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
fi

rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built binaries do not report the expected versions"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
