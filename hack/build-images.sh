#!/usr/bin/env bash
# Builds the local node's images from what is on this machine, without a daemon or a registry,
# as `docker save` archives under ${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}/images/:
#   pause      keywarden.local/pause:<key>      the pod sandbox process (hack/pause/pause.go)
#   java-base  keywarden.local/java-base:<key>  a jlink'ed Java 17 runtime of this machine's JDK
#                                               and the shared libraries it needs; the base the
#                                               operator image is built on here (pom.xml, Jib)
#   tools      keywarden.local/tools:<key>      the aws CLI (this machine's Python, the awscli
#                                               version python-tools.sh pins), for workloads
# <key> is a hash of everything that goes in, so a changed input gives a new image.
#
#   build-images.sh [name...]   (default: all three)
#
# Idempotent and safe to call concurrently (one lock per image); prints name=archive lines on stdout.
set -euo pipefail
hack="$(cd "$(dirname "$0")" && pwd)"
cache="${KEYWARDEN_CACHE:-$HOME/.cache/keywarden}"
root="$cache/images"
mkdir -p "$root"

log() { echo "build-images: $*" >&2; }
key() { cat "$@" | sha256sum | cut -c1-12; }

# Every module the operator and its libraries use, found with jdeps on the shaded jar, plus those
# jdeps cannot see because they are only loaded by name (jdk.httpserver: fabric8's and JOSDK's
# health and metrics endpoints; jdk.crypto.ec: TLS with EC keys; jdk.net: the socket options of
# Apache HttpClient 5, the AWS SDK's HTTP client; jdk.zipfs, jdk.localedata).
JAVA_MODULES=java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.localedata,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs

# copies each shared library the given ELF files load (and their own) into the rootfs $1
copy_libraries() {
  local rootfs="$1" lib
  shift
  ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// && $1 !~ /:$/ { print $1 }' | sort -u |
    grep -v "^$rootfs" | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

# the files every image needs: users (root and the distroless "nonroot" 65532 the chart runs
# as), name service configuration, and the name service libraries glibc loads at run time
base_files() {
  local rootfs="$1" lib
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' >"$rootfs/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  printf '127.0.0.1 localhost\n' >"$rootfs/etc/hosts"
  for lib in /lib/x86_64-linux-gnu/libnss_files.so.2 /lib/x86_64-linux-gnu/libnss_dns.so.2 /lib/x86_64-linux-gnu/libresolv.so.2; do
    [[ -e "$lib" ]] || continue
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
}

# image <name> <key> <build function>: runs the function on an empty rootfs once per key
image() {
  local name="$1" k="$2" build="$3" dir="$root/$1-$2" lock
  exec {lock}>"$root/$name.lock"
  flock "$lock"
  if [[ ! -f "$dir/image.tar" ]]; then
    log "building $name"
    rm -rf "$dir.tmp"
    mkdir -p "$dir.tmp/rootfs"
    "$build" "$dir.tmp/rootfs" "$dir.tmp" "keywarden.local/$name:$k"
    rm -rf "$dir.tmp/rootfs"
    for old in "$root/$name"-*; do [[ "$old" == *.tmp ]] || rm -rf "$old"; done  # other keys
    mv "$dir.tmp" "$dir"
  fi
  exec {lock}>&-
  echo "$name=$dir/image.tar"
}

build_pause() {
  local rootfs="$1" out="$2" ref="$3"
  (cd "$hack/pause" && CGO_ENABLED=0 GOFLAGS=-trimpath go build -ldflags "-s -w" -o "$rootfs/pause" pause.go)
  "$hack/docker-archive.sh" "$rootfs" "$ref" '{"Entrypoint":["/pause"],"User":"65535:65535"}' "$out/image.tar"
}

java_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
build_java_base() {
  local rootfs="$1" out="$2" ref="$3"
  "$java_home/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages \
    --output "$rootfs/opt/java"
  # the operator is headless: no X11, sound or splash screen libraries (nor what they load)
  rm -f "$rootfs"/opt/java/lib/{libawt_xawt,libjawt,libsplashscreen,libjsound}.so
  # Debian's JDK links its CA store to /etc/ssl; the image gets a copy
  rm -f "$rootfs/opt/java/lib/security/cacerts"
  cp -L "$java_home/lib/security/cacerts" "$rootfs/opt/java/lib/security/cacerts"
  copy_libraries "$rootfs" "$rootfs/opt/java/bin/java" $(find "$rootfs/opt/java/lib" -name '*.so')
  base_files "$rootfs"
  "$hack/docker-archive.sh" "$rootfs" "$ref" \
    '{"Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java"],"User":"65532:65532"}' "$out/image.tar"
}

# the aws CLI at the version python-tools.sh pins, on this machine's Python
build_tools() {
  local rootfs="$1" out="$2" ref="$3" python stdlib
  # the interpreter and standard library the venv was made from, at the same paths
  python="$("$venv_bin/python" -c 'import os, sys; print(os.path.realpath(sys._base_executable))')"
  stdlib="$("$venv_bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
  mkdir -p "$rootfs$(dirname "$python")" "$rootfs$(dirname "$stdlib")" "$rootfs/usr/bin" "$rootfs/opt/aws" "$rootfs/usr/local/bin"
  cp "$python" "$rootfs$python"
  [[ -e "$rootfs/usr/bin/python3" ]] || ln -s "$python" "$rootfs/usr/bin/python3"
  cp -r "$stdlib" "$rootfs$stdlib"
  rm -rf "$rootfs$stdlib"/{test,idlelib,tkinter,turtledemo,ensurepip,site-packages}
  "$venv_bin/pip" install -q --no-compile --no-warn-script-location --target "$rootfs/opt/aws" "awscli==$awscli_version" >&2
  printf '#!/usr/bin/python3\nimport sys\nfrom awscli.clidriver import main\nsys.exit(main())\n' >"$rootfs/usr/local/bin/aws"
  chmod 755 "$rootfs/usr/local/bin/aws"
  rm -rf "$rootfs/opt/aws/bin"
  copy_libraries "$rootfs" "$rootfs$python" $(find "$rootfs$stdlib" "$rootfs/opt/aws" -name '*.so')
  base_files "$rootfs"
  "$hack/docker-archive.sh" "$rootfs" "$ref" \
    '{"Env":["PATH=/usr/local/bin:/usr/bin:/bin","PYTHONPATH=/opt/aws","HOME=/tmp"],"User":"65532:65532"}' "$out/image.tar"
}

names=("$@")
(( ${#names[@]} )) || names=(pause java-base tools)
for name in "${names[@]}"; do
    case "$name" in
      pause) image pause "$(key "$0" "$hack/pause/pause.go" "$hack/docker-archive.sh")" build_pause ;;
      java-base) image java-base "$(key "$0" "$hack/docker-archive.sh" <("$java_home/bin/java" -version 2>&1))" build_java_base ;;
      tools)
        venv_bin="$("$hack/python-tools.sh" | tail -1)"
        awscli_version="$("$venv_bin/python" -c 'import awscli; print(awscli.__version__)')"
        image tools "$(key "$0" "$hack/docker-archive.sh" <(echo "awscli=$awscli_version") "$venv_bin/python")" build_tools ;;
      *) log "no image $name"; exit 2 ;;
    esac
done
