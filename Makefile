# keywarden — see README.md
MVN := ./mvnw -B

.PHONY: test unit node-test demo node-demo bench peers crds deploy docs package clean

## every test: unit, controller (mock API server), integration (moto, aws CLI, kube-apiserver + etcd, minio, mc),
## the chart and rotations on a real node (kubelet, containerd; needs root), and the kubectl plugin's own Go tests
test: peers
	cd plugin/kubectl-keywarden && go test ./...
	$(MVN) verify

## keywarden's main job on a machine without a cluster: local control plane + moto + MinIO, the
## packaged operator, deploy/examples/aws.yaml and minio.yaml applied, every key proven with a real
## S3 call, then cleaned up
demo: peers package
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.keywarden.demo.Demo \
	  -Dexec.args="$(wildcard target/keywarden-*-operator.jar)"

## keywarden as users run it, on a real single-node cluster of this machine (needs root): the node, the image
## built by Jib, helm install, deploy/examples/aws.yaml against moto, a workload using the key; removed on exit or Ctrl-C
node-demo: peers
	hack/node-demo.sh

## figures next to floors measured in the same run (docs/performance.md): N AccessKeys on moto
## (default 1000; make bench N=10000 INTERVAL=200 BUDGET=aws=100,minio=20 is the documented run),
## M on MinIO (default 200), the same N again over two shards; INTERVAL: the drift interval set for
## the run in seconds (the steady state covers one whole interval; at least 2 x N / the aws budget);
## BUDGET: the call budgets set for the run (KEYWARDEN_BACKEND_CALLS_PER_SECOND). Prints; asserts no timing.
N ?= 1000
M ?= 200
INTERVAL ?= 120
BUDGET ?= aws=50,minio=20
bench: peers package
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.keywarden.bench.Bench \
	  -Dbench.interval=$(INTERVAL) -Dbench.budget=$(BUDGET) \
	  -Dexec.args="$(wildcard target/keywarden-*-operator.jar) $(N) $(M)"

## only the tests on a real node (HelmOnNodeE2E, RotationOnNodeE2E; needs root), which make test runs too
node-test: peers package
	$(MVN) verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test='HelmOnNodeE2E,RotationOnNodeE2E'

## only the fast tests (no external peers)
unit:
	$(MVN) test -Dsurefire.excludedGroups=it

## build or reuse the cached test peers (openssl, containerd, runc, CNI plugins, iptables, conntrack from Debian if missing;
## Python venvs with moto + awscli, and osc-cli + osc-sdk-python with the Outscale OpenAPI spec; kube-apiserver, etcd,
## kubectl; kubelet, kube-proxy, kube-controller-manager, kube-scheduler; the node's images; helm; minio, mc;
## the kubectl-keywarden plugin; promtool; jsonschema2md, which writes docs/api-reference.md)
peers:
	hack/system-tools.sh
	hack/python-tools.sh
	hack/outscale-tools.sh
	hack/docs-tools.sh
	hack/build-control-plane.sh
	hack/build-control-plane.sh oldest
	hack/build-node.sh
	hack/build-images.sh
	hack/build-helm.sh
	hack/build-minio.sh
	hack/build-kubectl-keywarden.sh
	hack/build-promtool.sh

## regenerate crds/ from the Java model, copy them into the chart, re-render deploy/ (tests fail when they drift)
crds:
	$(MVN) -q process-classes
	cp target/classes/META-INF/fabric8/*.keywarden.io-v1.yml crds/
	cp crds/*.yml charts/keywarden/crds/
	hack/render-deploy.sh

## regenerate docs/api-reference.md from crds/ with jsonschema2md (ApiReferenceIT fails when it is stale)
docs:
	hack/api-reference.sh

## re-render deploy/ from charts/keywarden (after a chart change)
deploy:
	hack/render-deploy.sh

## the runnable operator jar: target/keywarden-*-operator.jar
package:
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
