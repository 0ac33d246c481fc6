#!/usr/bin/env bash
# Builds kube-controller-manager of the Kubernetes release build-control-plane.sh pins, from the
# Go module proxy, into ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/kube-controller-manager/<version>/bin.
# The tenant-role tests run only its ClusterRole aggregation controller, which fills the built-in
# admin/edit/view roles from the chart's aggregated ClusterRoles (kube-apiserver alone does not).
# Idempotent and safe to call concurrently; prints the bin dir on its last line.
set -euo pipefail

K8S_VERSION="$(sed -n 's/^K8S_VERSION=//p' "$(dirname "$0")/build-control-plane.sh")"
cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/kube-controller-manager/$K8S_VERSION"
bin="$root/bin"

log() { echo "build-controller-manager: $*" >&2; }

up_to_date() {
  [[ -x "$bin/kube-controller-manager" ]] &&
    [[ "$("$bin/kube-controller-manager" --version 2>/dev/null)" == "Kubernetes $K8S_VERSION" ]]
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

# the same wrapper module as build-control-plane.sh: k8s.io/kubernetes' staging modules (v0.0.0
# there) mapped to their published v0.<minor>.<patch>
json="$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION")" || { log "$json"; exit 1; }
kmod="$(sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$json")"
{
  echo "module keywarden.local/kcm-build"
  grep -E '^(go|godebug) ' "$kmod"
  echo "require k8s.io/kubernetes $K8S_VERSION"
  echo "replace ("
  awk -v v="v0.${K8S_VERSION#v1.}" '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " " v }' "$kmod"
  echo ")"
} >"$work/go.mod"

minor="${K8S_VERSION#v1.}"
minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean -X $pkg.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
done

log "building kube-controller-manager $K8S_VERSION"
rm -rf "$root/bin.tmp"
(
  cd "$work"
  go get "k8s.io/kubernetes/cmd/kube-controller-manager@$K8S_VERSION"
  go build -p 2 -tags notest,grpcnotrace -ldflags "$ldflags" -o "$root/bin.tmp/" k8s.io/kubernetes/cmd/kube-controller-manager
)
rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "the built binary does not report $K8S_VERSION"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
