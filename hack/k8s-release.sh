# Sourced by build-control-plane.sh and build-node.sh: the pinned Kubernetes release, its cache
# directory, and the wrapper module both scripts build its commands in.

# newest v1.34 patch whose modules (k8s.io/kubernetes and every staging module) all
# have go.sum entries in the checksum database the proxy serves
K8S_VERSION=v1.34.4
# the go.etcd.io/etcd/server/v3 version that k8s.io/kubernetes@$K8S_VERSION requires
ETCD_VERSION=v3.6.4

k8s_root="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/$K8S_VERSION"

# downloads module@version and prints the path of its go.mod
gomod() {
  local json
  json="$(go mod download -json "$1")" || { echo "$json" >&2; return 1; }
  sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$json"
}

# Writes $1/go.mod: k8s.io/kubernetes points its staging modules (listed as v0.0.0) at
# ./staging via replace directives, which only apply inside its own repository; the
# wrapper module maps each of them to its published v0.<minor>.<patch> instead.
k8s_wrapper_module() {
  local dir="$1" kmod
  kmod="$(gomod "k8s.io/kubernetes@$K8S_VERSION")"
  mkdir -p "$dir"
  {
    echo "module keywarden.local/k8s-build"
    grep -E '^(go|godebug) ' "$kmod"
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo "replace ("
    awk -v v="v0.${K8S_VERSION#v1.}" '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " " v }' "$kmod"
    echo ")"
  } >"$dir/go.mod"
}

# the -X variables of Kubernetes' hack/lib/version.sh, so every command reports $K8S_VERSION
k8s_ldflags() {
  local minor="${K8S_VERSION#v1.}" flags="-s -w" build_date pkg
  minor="${minor%%.*}"
  build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    # the proxy records no commit for this tag, so gitCommit is left empty
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean"
    flags+=" -X $pkg.buildDate=$build_date"
  done
  echo "$flags"
}

# builds the k8s.io/kubernetes/cmd/<name> commands named after $1 (an empty work dir) and $2 (the
# output dir) in a wrapper module in $1
k8s_build() {
  local work="$1" out="$2" pkgs=() name
  shift 2
  k8s_wrapper_module "$work"
  for name in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$name"); done
  (
    cd "$work"
    export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
    go get "${pkgs[@]/%/@$K8S_VERSION}"
    go build -p 2 -tags notest,grpcnotrace -ldflags "$(k8s_ldflags)" -o "$out/" "${pkgs[@]}"
  )
}
