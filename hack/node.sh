#!/usr/bin/env bash
# A single-node Kubernetes cluster on this machine, and its complete removal.
#
#   node.sh up <dir>       starts it; prints the admin kubeconfig's path on stdout
#   node.sh import <dir> <image archive>...   imports `docker save` archives into its containerd
#   node.sh down <dir>     stops it and removes everything it made (safe to repeat, and after a
#                          failed up)
#
# <dir> holds all its state (certificates, etcd, containerd, kubelet, logs). One node per
# machine: it owns the bridge kw0 (198.18.0.1/16, the pod network; Services 198.19.0.0/16, both
# in the range reserved for network tests) and the kubelet's fixed host paths. Needs root.
# Components: etcd and kube-apiserver (build-control-plane.sh), kube-controller-manager,
# kube-scheduler, kubelet and kube-proxy (build-node.sh), containerd, runc and the CNI plugins
# (Debian, system-tools.sh), the pause image (build-images.sh). hack/README.md explains the
# settings this machine needs.
set -eEuo pipefail
hack="$(cd "$(dirname "$0")" && pwd)"

BRIDGE=kw0
NODE_IP=198.18.0.1
POD_CIDR=198.18.0.0/16
SERVICE_CIDR=198.19.0.0/16
KUBERNETES_SERVICE_IP=198.19.0.1
NODE_NAME=keywarden-node
MARKER=/run/keywarden-node
# sysctls kubelet, kube-proxy and the bridge plugin change; down restores them
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys
  kernel.keys.root_maxbytes net.ipv4.ip_forward net.ipv4.conf.all.route_localnet
  net.bridge.bridge-nf-call-iptables net.bridge.bridge-nf-call-ip6tables net.ipv6.conf.all.forwarding)
# host paths kubelet, containerd and CNI create whatever their configured directories are
HOST_PATHS=(/var/lib/kubelet /var/log/containers /var/log/pods /var/lib/cni /run/containerd /run/netns /etc/cni)

log() { echo "node: $*" >&2; }

cmd="${1:-}"
[[ $# -ge 2 ]] || { echo "usage: $0 up|down <dir> | import <dir> <archive>..." >&2; exit 2; }
dir="$(mkdir -p "$2" && cd "$2" && pwd)"
shift 2

pki="$dir/pki"
logs="$dir/logs"
run="$dir/run"
ctrd_sock="$dir/containerd/containerd.sock"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start <name> <command...>: in its own session, output to logs/<name>.log, pid in run/<name>.pid
start() {
  local name="$1"
  shift
  setsid "$@" >"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
}

# wait_for <what> <seconds> <command...>: retries the command once a second
wait_for() {
  local what="$1" seconds="$2" i
  shift 2
  for ((i = 0; i < seconds; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 1
  done
  log "$what not ready after ${seconds}s; logs in $logs"
  return 1
}

cert() { # cert <name> <subject> [subjectAltName]: a key and a certificate signed by the node's CA
  local name="$1" subject="$2" san="${3:-}"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "$subject" \
    -keyout "$pki/$name.key" -out "$pki/$name.csr" 2>/dev/null
  printf 'subjectAltName=%s\n' "${san:-DNS:$name}" >"$pki/$name.ext"
  openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -CAcreateserial \
    -days 30 -extfile "$pki/$name.ext" -out "$pki/$name.crt" 2>/dev/null
  rm "$pki/$name.ext"
  rm "$pki/$name.csr"
}

kubeconfig() { # kubeconfig <name> <token>
  cat >"$dir/$1.kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: $NODE_NAME
    cluster: {server: "https://$NODE_IP:6443", certificate-authority: "$pki/ca.crt"}
users:
  - name: $1
    user: {token: "$2"}
contexts:
  - name: $1
    context: {cluster: $NODE_NAME, user: $1}
current-context: $1
EOF
}

up() {
  mkdir "$MARKER" 2>/dev/null || { log "a node is already up ($(cat "$MARKER/dir" 2>/dev/null)); run: $0 down <its dir>"; exit 1; }
  echo "$dir" >"$MARKER/dir"
  trap 'log "up failed; tearing down"; down' ERR
  mkdir -p "$pki" "$logs" "$run" "$dir/containerd" "$dir/cni/net.d" "$dir/kubelet"

  local cp_bin node_bin images p s v
  cp_bin="$("$hack/build-control-plane.sh")"
  node_bin="$("$hack/build-node.sh")"
  images="$("$hack/build-images.sh" pause)"
  echo "$cp_bin" >"$run/control-plane-bin"
  local pause_archive pause_ref
  pause_archive="$(sed -n 's/^pause=//p' <<<"$images")"
  pause_ref="keywarden.local/pause:$(basename "$(dirname "$pause_archive")" | sed 's/^pause-//')"

  # what down must put back
  for s in "${SYSCTLS[@]}"; do v="$(sysctl -n "$s" 2>/dev/null)" && echo "$s=$v"; done >"$run/sysctls" || true
  for p in "${HOST_PATHS[@]}"; do [[ -e "$p" ]] && echo "$p"; done >"$run/host-paths" || true
  nft list tables >"$run/nft-tables"

  log "network: bridge $BRIDGE $NODE_IP"
  ip link add "$BRIDGE" type bridge
  ip addr add "$NODE_IP/16" dev "$BRIDGE"
  ip link set "$BRIDGE" up
  # pods talk to each other through Services on the same bridge: their packets must pass iptables
  sysctl -qw net.bridge.bridge-nf-call-iptables=1
  # forwarding is for pod <-> Service <-> pod on this bridge only: nothing from the pod network
  # leaves the machine
  iptables -I FORWARD -i "$BRIDGE" ! -o "$BRIDGE" -m comment --comment keywarden-node -j DROP
  iptables -I FORWARD -o "$BRIDGE" ! -i "$BRIDGE" -m comment --comment keywarden-node -j DROP

  log "certificates"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=keywarden-node-ca" -keyout "$pki/ca.key" -out "$pki/ca.crt" 2>/dev/null
  cert apiserver "/CN=kube-apiserver" \
    "IP:$NODE_IP,IP:$KUBERNETES_SERVICE_IP,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert kubelet "/CN=$NODE_NAME" "IP:$NODE_IP,DNS:$NODE_NAME"
  cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$pki/sa.key" 2>/dev/null
  openssl pkey -in "$pki/sa.key" -pubout -out "$pki/sa.pub"

  # static tokens: one identity per component, with the groups the RBAC bootstrap policy binds
  local admin kcm scheduler kubelet proxy
  admin="$(openssl rand -hex 16)" kcm="$(openssl rand -hex 16)" scheduler="$(openssl rand -hex 16)"
  kubelet="$(openssl rand -hex 16)" proxy="$(openssl rand -hex 16)"
  cat >"$pki/tokens.csv" <<EOF
$admin,keywarden-node-admin,admin,"system:masters"
$kcm,system:kube-controller-manager,kcm
$scheduler,system:kube-scheduler,scheduler
$kubelet,system:node:$NODE_NAME,kubelet,"system:nodes"
$proxy,system:kube-proxy,proxy
EOF
  chmod 600 "$pki"/*.key "$pki/tokens.csv"
  kubeconfig admin "$admin"
  kubeconfig controller-manager "$kcm"
  kubeconfig scheduler "$scheduler"
  kubeconfig kubelet "$kubelet"
  kubeconfig proxy "$proxy"

  log "etcd, kube-apiserver"
  local etcd_client etcd_peer
  etcd_client="$(free_port)" etcd_peer="$(free_port)"
  start etcd "$cp_bin/etcd" --name "$NODE_NAME" --data-dir "$dir/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "$NODE_NAME=http://127.0.0.1:$etcd_peer" --unsafe-no-fsync
  # bound to and advertised on the bridge address: the `kubernetes` Service's endpoint must be an
  # address pods can reach
  start kube-apiserver "$cp_bin/kube-apiserver" --etcd-servers "http://127.0.0.1:$etcd_client" \
    --bind-address "$NODE_IP" --advertise-address "$NODE_IP" --secure-port 6443 \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --token-auth-file "$pki/tokens.csv" \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
    --service-account-issuer https://kubernetes.default.svc \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$pki/apiserver-kubelet-client.key" --kubelet-certificate-authority "$pki/ca.crt" \
    --kubelet-preferred-address-types InternalIP --profiling=false
  wait_for kube-apiserver 120 "$cp_bin/kubectl" --kubeconfig "$dir/admin.kubeconfig" get --raw /readyz

  log "kube-controller-manager, kube-scheduler"
  start kube-controller-manager "$node_bin/kube-controller-manager" \
    --kubeconfig "$dir/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$dir/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$dir/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
    --use-service-account-credentials --service-account-private-key-file "$pki/sa.key" \
    --root-ca-file "$pki/ca.crt" --cluster-name "$NODE_NAME" --profiling=false
  start kube-scheduler "$node_bin/kube-scheduler" --kubeconfig "$dir/scheduler.kubeconfig" \
    --authentication-kubeconfig "$dir/scheduler.kubeconfig" --authorization-kubeconfig "$dir/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --profiling=false

  log "containerd"
  cat >"$dir/containerd/config.toml" <<EOF
version = 2
root = "$dir/containerd/root"
state = "$dir/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$ctrd_sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$dir/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_ref"
  # root here lacks CAP_SYS_RESOURCE: runc cannot set the negative oom_score_adj containerd asks
  # for on sandboxes, so containerd keeps every score at or above its own
  restrict_oom_score_adj = true
  # network namespaces in <dir> too, not in /run/netns
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$dir/cni/net.d"
EOF
  cat >"$dir/cni/net.d/10-keywarden.conflist" <<EOF
{
  "cniVersion": "0.4.0",
  "name": "keywarden",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$dir/cni/ipam",
        "ranges": [[{"subnet": "$POD_CIDR", "rangeStart": "198.18.1.1", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  start containerd containerd --config "$dir/containerd/config.toml"
  wait_for containerd 60 ctr --address "$ctrd_sock" version
  import "$pause_archive"

  log "kubelet"
  cat >"$dir/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
tlsCertFile: $pki/kubelet.crt
tlsPrivateKeyFile: $pki/kubelet.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $pki/ca.crt}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$ctrd_sock
# cgroups v1 here: kubelet 1.34 only warns about them when told not to fail
cgroupDriver: cgroupfs
failCgroupV1: false
podLogsDir: $dir/pod-logs
clusterDomain: cluster.local
resolvConf: /etc/resolv.conf
# the images come from archives, not a registry: never collect them
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
makeIPTablesUtilChains: false
serializeImagePulls: false
EOF
  start kubelet "$node_bin/kubelet" --config "$dir/kubelet/config.yaml" --kubeconfig "$dir/kubelet.kubeconfig" \
    --root-dir "$dir/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" --v 1

  log "kube-proxy"
  cat >"$dir/proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $dir/proxy.kubeconfig}
hostnameOverride: $NODE_NAME
mode: iptables
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
iptables: {localhostNodePorts: false}
# zero: leave the machine's conntrack settings as they are
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
EOF
  start kube-proxy "$node_bin/kube-proxy" --config "$dir/proxy.yaml"

  local kubectl=("$cp_bin/kubectl" --kubeconfig "$dir/admin.kubeconfig")
  wait_for "node $NODE_NAME" 180 "${kubectl[@]}" wait --for=condition=Ready "node/$NODE_NAME" --timeout 1s
  wait_for "the default ServiceAccount" 60 "${kubectl[@]}" -n default get serviceaccount default
  trap - ERR
  log "up: export KUBECONFIG=$dir/admin.kubeconfig"
  echo "$dir/admin.kubeconfig"
}

import() {
  local archive
  for archive in "$@"; do
    ctr --address "$ctrd_sock" -n k8s.io images import "$archive" >&2
  done
}

# kill_all <signal> <pid>...: signals the live ones, waits up to 30 s, then kills what is left
kill_all() {
  local sig="$1" pid i
  shift
  for pid in "$@"; do kill "-$sig" "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 300; i++)); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || return 0
    sleep 0.1
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}

pid_of() { [[ -f "$run/$1.pid" ]] && cat "$run/$1.pid" || true; }

# the processes in the pods' cgroups (the kubelet puts every pod under kubepods)
pod_processes() { cat /sys/fs/cgroup/pids/kubepods/cgroup.procs $(find /sys/fs/cgroup/pids/kubepods -mindepth 2 -name cgroup.procs 2>/dev/null) 2>/dev/null || true; }

# mount points under the given prefixes, deepest first
mounts_under() {
  awk '{ print $5 }' /proc/self/mountinfo | while read -r m; do
    for p in "$@"; do [[ "$m" == "$p" || "$m" == "$p"/* ]] && echo "$m"; done
  done | sort -ru
}

down() {
  set +e
  trap - ERR
  log "down: $dir"
  # the node first, so it restarts nothing; then the controllers and the API server
  kill_all TERM $(pid_of kubelet) $(pid_of kube-proxy)
  kill_all TERM $(pid_of kube-scheduler) $(pid_of kube-controller-manager)
  kill_all TERM $(pid_of kube-apiserver)
  kill_all TERM $(pid_of etcd)
  # containers, their shims, then containerd (the shims were started for its socket)
  kill_all KILL $(pod_processes)
  kill_all KILL $(pgrep -f -- "-address $ctrd_sock( |$)")
  kill_all TERM $(pid_of containerd)

  local m p c
  for m in $(mounts_under "$dir" /run/containerd /var/lib/kubelet /run/netns /var/run/netns); do
    umount "$m" 2>/dev/null || umount -l "$m"
  done
  rm -f /run/netns/cni-* 2>/dev/null
  # the kubelet's cgroups, leaves first
  for c in /sys/fs/cgroup/*/kubepods; do
    [[ -d "$c" ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null
  done
  ip link del "$BRIDGE" 2>/dev/null

  # iptables: the rules and chains of kubelet (KUBE-), kube-proxy (KUBE-), portmap (CNI-) and ours
  local t
  for ipt in iptables ip6tables; do
    for t in filter nat mangle raw; do
      "$ipt-save" -t "$t" 2>/dev/null | grep -E '^-A ' | grep -E -- '-j (KUBE|CNI)-|--comment "?keywarden-node' |
        sed 's/^-A/-D/' | while read -r rule; do eval "$ipt -t $t $rule"; done
      for c in $("$ipt-save" -t "$t" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$ipt" -t "$t" -F "$c"
      done
      for c in $("$ipt-save" -t "$t" 2>/dev/null | sed -n 's/^:\(\(KUBE\|CNI\)-[^ ]*\) .*/\1/p'); do
        "$ipt" -t "$t" -X "$c"
      done
    done
  done

  # the tables iptables (nft backend) created for those rules, now empty
  if [[ -f "$run/nft-tables" ]]; then
    nft list tables | while read -r table; do
      grep -qxF "$table" "$run/nft-tables" || nft delete $table
    done
  fi

  if [[ -f "$run/sysctls" ]]; then
    while IFS= read -r s; do sysctl -qw "$s"; done <"$run/sysctls"
  fi
  if [[ -f "$run/host-paths" ]]; then
    for p in "${HOST_PATHS[@]}"; do
      grep -qxF "$p" "$run/host-paths" || rm -rf "$p"
    done
  fi
  # only a directory this script made
  [[ -d "$run" ]] && rm -rf "$dir"
  [[ "$(cat "$MARKER/dir" 2>/dev/null)" == "$dir" ]] && rm -rf "$MARKER"
  return 0
}

case "$cmd" in
  up) up ;;
  down) down ;;
  import) import "$@" ;;
  *) echo "usage: $0 up|down <dir> | import <dir> <archive>..." >&2; exit 2 ;;
esac
