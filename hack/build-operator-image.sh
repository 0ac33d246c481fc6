#!/usr/bin/env bash
# Builds the operator image with Jib (the recipe in pom.xml) on the local java-base archive of
# build-images.sh instead of the release's public base, as a `docker save` archive:
#
#   build-operator-image.sh [image reference, default keywarden.local/keywarden:local]
#
# prints the archive's path (target/jib-image.tar) on stdout; `hack/node.sh import` or
# `ctr -n k8s.io images import` loads it. Maven's output goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
ref="${1:-keywarden.local/keywarden:local}"
base="$(hack/build-images.sh | sed -n 's/^java-base=//p')"
./mvnw -B -q compile jib:buildTar -Dimage.base="tar://$base" -Dimage.name="$ref" >&2
echo "$PWD/target/jib-image.tar"
