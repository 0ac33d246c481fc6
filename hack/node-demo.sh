#!/usr/bin/env bash
# `make node-demo`: keywarden as its users run it, on a real single-node cluster of this machine.
# Starts the node (node.sh), builds the operator image with Jib and imports it, installs the chart
# with helm into a restricted namespace, applies deploy/examples/aws.yaml against moto (listening
# on the node's bridge address), runs a Deployment that reads bob's key with envFrom and calls
# `aws sts get-caller-identity` with it, and shows the result. Everything is removed on exit,
# Ctrl-C included; on a terminal it waits for Enter first, so you can look around.
set -euo pipefail
hack="$(cd "$(dirname "$0")" && pwd)"
cd "$hack/.."
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

dir="$(mktemp -d /tmp/keywarden-node-demo.XXXXXX)"
moto_pid=""
cleanup() {
  trap - EXIT INT TERM
  step "cleaning up"
  [[ -n "$moto_pid" ]] && kill "$moto_pid" 2>/dev/null
  "$hack/node.sh" down "$dir/node"
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step "building what is missing (first time: many minutes)"
venv="$("$hack/python-tools.sh" | tail -1)"
helm="$("$hack/build-helm.sh")/helm"
images="$("$hack/build-images.sh")"
operator_image="$("$hack/build-operator-image.sh" keywarden.local/keywarden:demo)"

step "starting the node"
export KUBECONFIG="$("$hack/node.sh" up "$dir/node")"
kubectl="$(cat "$dir/node/run/control-plane-bin")/kubectl"
"$hack/node.sh" import "$dir/node" "$operator_image" "$(sed -n 's/^tools=//p' <<<"$images")"
"$kubectl" get nodes -o wide

step "moto (the AWS IAM/STS stand-in) on the node's bridge address"
moto_port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$venv/moto_server" -H 198.18.0.1 -p "$moto_port" >"$dir/moto.log" 2>&1 &
moto_pid=$!
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_ENDPOINT_URL="http://198.18.0.1:$moto_port"
for _ in $(seq 60); do "$venv/aws" iam list-users >/dev/null 2>&1 && break; sleep 1; done
"$venv/aws" iam create-user --user-name bob >/dev/null

step "helm install (restricted namespace, the locally built image)"
"$kubectl" create namespace keywarden
"$kubectl" label namespace keywarden pod-security.kubernetes.io/enforce=restricted
"$helm" install keywarden charts/keywarden --namespace keywarden \
  --set image.repository=keywarden.local/keywarden --set image.tag=demo --set image.pullPolicy=Never \
  --wait --timeout 5m
"$kubectl" -n keywarden get pods

step "deploy/examples/aws.yaml in namespace team-a, pointed at moto"
"$kubectl" create namespace team-a
"$kubectl" label namespace team-a pod-security.kubernetes.io/enforce=restricted
sed -e "s|^    region: us-east-1|    region: us-east-1\n    endpoint: $AWS_ENDPOINT_URL|" deploy/examples/aws.yaml |
  "$kubectl" apply -n team-a -f -
"$kubectl" -n team-a wait accesskey/bob --for=condition=Ready --timeout 5m
"$kubectl" -n team-a get accesskeys,secrets

step "a workload that uses bob's key (envFrom: secret bob-aws)"
tools_ref="keywarden.local/tools:$(basename "$(dirname "$(sed -n 's/^tools=//p' <<<"$images")")" | sed 's/^tools-//')"
"$kubectl" apply -n team-a -f - <<EOF
apiVersion: batch/v1
kind: Job
metadata:
  name: whoami
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: aws
          image: $tools_ref
          imagePullPolicy: Never
          command: [aws, sts, get-caller-identity]
          envFrom: [{secretRef: {name: bob-aws}}]
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
EOF
"$kubectl" -n team-a wait job/whoami --for=condition=Complete --timeout 5m
"$kubectl" -n team-a logs job/whoami

if [[ -t 0 ]]; then
  step "the node stays up until you press Enter (or Ctrl-C); in another shell: export KUBECONFIG=$KUBECONFIG"
  read -r
fi
