#!/usr/bin/env bash
# Packs a root filesystem directory as a one-layer image archive in the `docker save` format
# (manifest.json, a config blob, layer.tar), which `ctr images import` and Jib's tar:// base
# image both read. No daemon, no registry.
#
#   docker-archive.sh <rootfs dir> <name:tag> <image config JSON object> <out.tar>
#
# The layer is reproducible: sorted names, owner root, modification times at the epoch, so the
# same rootfs gives the same image id.
set -euo pipefail
rootfs="$1" ref="$2" config="$3" out="$4"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$rootfs" -cf "$work/layer.tar" .
diff_id="$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
mkdir "$work/$diff_id"
mv "$work/layer.tar" "$work/$diff_id/layer.tar"
printf '{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z","config":%s,"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$config" "$diff_id" >"$work/config.json"
config_id="$(sha256sum "$work/config.json" | cut -d' ' -f1)"
mv "$work/config.json" "$work/$config_id.json"
printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["%s/layer.tar"]}]' "$config_id" "$ref" "$diff_id" >"$work/manifest.json"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work" -cf "$out.tmp" \
  manifest.json "$config_id.json" "$diff_id"
mv "$out.tmp" "$out"
