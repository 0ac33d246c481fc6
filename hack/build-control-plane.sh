#!/usr/bin/env bash
# Builds kube-apiserver, kubectl and etcd of one pinned Kubernetes release from the
# Go module proxy into ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/<version>/bin.
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail

# newest v1.34 patch whose modules (k8s.io/kubernetes and every staging module) all
# have go.sum entries in the checksum database the proxy serves
K8S_VERSION=v1.34.4
# the go.etcd.io/etcd/server/v3 version that k8s.io/kubernetes@$K8S_VERSION requires
ETCD_VERSION=v3.6.4

cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/k8s/$K8S_VERSION"
bin="$root/bin"

log() { echo "build-control-plane: $*" >&2; }

# downloads module@version and prints the path of its go.mod
gomod() {
  local json
  json="$(go mod download -json "$1")" || { log "$json"; return 1; }
  sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$json"
}

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
export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
start=$SECONDS

# Kubernetes: k8s.io/kubernetes points its staging modules (listed as v0.0.0) at
# ./staging via replace directives, which only apply inside its own repository;
# a wrapper module maps each of them to its published v0.<minor>.<patch> instead.
kmod="$(gomod "k8s.io/kubernetes@$K8S_VERSION")"
staging_version="v0.${K8S_VERSION#v1.}"
mkdir "$work/k8s"
{
  echo "module keywarden.local/k8s-build"
  grep -E '^(go|godebug) ' "$kmod"
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo "replace ("
  awk -v v="$staging_version" '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " " v }' "$kmod"
  echo ")"
} >"$work/k8s/go.mod"
grep -Eq "^\s+go\.etcd\.io/etcd/server/v3 $ETCD_VERSION( |\$)" "$kmod" ||
  { log "k8s.io/kubernetes@$K8S_VERSION does not require etcd $ETCD_VERSION; update ETCD_VERSION"; exit 1; }

# same -X variables as Kubernetes' hack/lib/version.sh
minor="${K8S_VERSION#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  # the proxy records no commit for this tag, so gitCommit is left empty
  ldflags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean"
  ldflags+=" -X $pkg.buildDate=$build_date"
done

log "building kube-apiserver and kubectl $K8S_VERSION (first time takes a while)"
rm -rf "$root/bin.tmp"
(
  cd "$work/k8s"
  go get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S_VERSION" "k8s.io/kubernetes/cmd/kubectl@$K8S_VERSION"
  go build -p 2 -tags notest,grpcnotrace -ldflags "$ldflags" -o "$root/bin.tmp/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
)

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
  go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
  go build -p 2 -ldflags "-s -w" -o "$root/bin.tmp/etcd" go.etcd.io/etcd/server/v3
)

rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built binaries do not report the expected versions"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
