#!/usr/bin/env bash
# Debian packages the tests call directly: openssl makes the throw-away CA of the MinIO TLS tests.
# Installed only when missing (a fresh machine), so a second run does nothing.
set -euo pipefail

missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
if (( ${#missing[@]} )); then
  echo "system-tools: installing ${missing[*]}" >&2
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi
