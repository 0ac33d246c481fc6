#!/usr/bin/env bash
# Debian packages the tests call directly, installed only when missing (a fresh machine), so a
# second run does nothing:
# - openssl makes the throw-away CAs of the MinIO TLS tests and of the local node;
# - containerd, runc, the CNI plugins, iptables, nftables and conntrack are the local node's runtime and
#   network (hack/node.sh); Debian 12's containerd 1.6 works with kubelet 1.34 (see hack/README.md).
set -euo pipefail

missing=()
need() { # need <command or path> <package>
  if [[ "$1" == /* ]]; then [[ -e "$1" ]]; else command -v "$1" >/dev/null 2>&1; fi || missing+=("$2")
}
need openssl openssl
need containerd containerd
need runc runc
need /usr/lib/cni/bridge containernetworking-plugins
need iptables iptables
need nft nftables
need conntrack conntrack
if (( ${#missing[@]} )); then
  echo "system-tools: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
