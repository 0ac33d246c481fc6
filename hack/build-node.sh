#!/usr/bin/env bash
# Builds the node's Kubernetes commands (kubelet, kube-proxy) and the controllers the
# API server alone lacks (kube-controller-manager, kube-scheduler) of the release
# build-control-plane.sh builds, from the Go module proxy, into
# ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/k8s/<version>/node/bin.
# Idempotent and safe to call concurrently; prints the bin dir on its last line
# (progress goes to stderr, so stdout is only that line).
set -euo pipefail
source "$(dirname "$0")/k8s-release.sh"

root="$k8s_root/node"
bin="$root/bin"
commands=(kubelet kube-proxy kube-controller-manager kube-scheduler)

log() { echo "build-node: $*" >&2; }

up_to_date() {
  local c
  for c in "${commands[@]}"; do
    [[ -x "$bin/$c" && "$("$bin/$c" --version 2>/dev/null)" == "Kubernetes $K8S_VERSION" ]] || return 1
  done
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
log "building ${commands[*]} $K8S_VERSION (first time takes a while)"
rm -rf "$root/bin.tmp"
k8s_build "$K8S_VERSION" "$work" "$root/bin.tmp" "${commands[@]}"
rm -rf "$bin"
mv "$root/bin.tmp" "$bin"
up_to_date || { log "built binaries do not report the expected versions"; exit 1; }
log "built in $((SECONDS - start))s"
echo "$bin"
