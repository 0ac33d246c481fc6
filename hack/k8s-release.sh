# Sourced by build-control-plane.sh and build-node.sh: the Kubernetes releases the tests run on,
# their cache directories, and the wrapper module the scripts build their commands in.

# The pinned release every test runs on: the newest v1.34 patch whose modules
# (k8s.io/kubernetes and every staging module) all have go.sum entries in the checksum
# database the proxy serves
K8S_VERSION=v1.34.4
# the go.etcd.io/etcd/server/v3 version that k8s.io/kubernetes@$K8S_VERSION requires
ETCD_VERSION=v3.6.4
# The oldest minor docs/installation.md claims, where the CRD admission and lifecycle tests run
# too: its newest patch (all modules on the proxy). Only its kube-apiserver is built; it runs on
# the pinned release's etcd (k8s.io/kubernetes@v1.30.14 requires etcd v3.5.10, and etcd v3.6
# serves v3.5 clients) and is driven with the pinned kubectl.
K8S_OLDEST_VERSION=v1.30.14

# the cache directory of release $1
k8s_release_root() {
  echo "${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/$1"
}
k8s_root="$(k8s_release_root "$K8S_VERSION")"

# downloads module@version and prints the path of its go.mod
gomod() {
  local json
  json="$(go mod download -json "$1")" || { echo "$json" >&2; return 1; }
  sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$json"
}

# Writes $2/go.mod for release $1: k8s.io/kubernetes points its staging modules (listed as v0.0.0) at
# ./staging via replace directives, which only apply inside its own repository; the
# wrapper module maps each of them to its published v0.<minor>.<patch> instead.
k8s_wrapper_module() {
  local version="$1" dir="$2" kmod
  kmod="$(gomod "k8s.io/kubernetes@$version")"
  mkdir -p "$dir"
  {
    echo "module keywarden.local/k8s-build"
    grep -E '^(go|godebug) ' "$kmod"
    echo "require k8s.io/kubernetes $version"
    echo "replace ("
    awk -v v="v0.${version#v1.}" '$1 ~ /^k8s\.io\// && $2 == "v0.0.0" { print "\t" $1 " => " $1 " " v }' "$kmod"
    echo ")"
  } >"$dir/go.mod"
}

# the -X variables of Kubernetes' hack/lib/version.sh, so every command reports release $1
k8s_ldflags() {
  local version="$1" minor="${1#v1.}" flags="-s -w" build_date pkg
  minor="${minor%%.*}"
  build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    # the proxy records no commit for this tag, so gitCommit is left empty
    flags+=" -X $pkg.gitCommit= -X $pkg.gitTreeState=clean"
    flags+=" -X $pkg.buildDate=$build_date"
  done
  echo "$flags"
}

# builds the k8s.io/kubernetes/cmd/<name> commands of release $1 named after $2 (an empty work
# dir) and $3 (the output dir) in a wrapper module in $2
k8s_build() {
  local version="$1" work="$2" out="$3" pkgs=() name
  shift 3
  k8s_wrapper_module "$version" "$work"
  for name in "$@"; do pkgs+=("k8s.io/kubernetes/cmd/$name"); done
  (
    cd "$work"
    export CGO_ENABLED=0 GOFLAGS="-trimpath -buildvcs=false"
    go get "${pkgs[@]/%/@$version}"
    go build -p 2 -tags notest,grpcnotrace -ldflags "$(k8s_ldflags "$version")" -o "$out/" "${pkgs[@]}"
  )
}
