# keywarden — see README.md
MVN := ./mvnw -B

.PHONY: test unit demo node-demo bench peers crds deploy package clean

## every test: unit, controller (mock API server), integration (moto, aws CLI, kube-apiserver + etcd, minio, mc)
test: peers
	$(MVN) verify

## keywarden's main job on a machine without a cluster: local control plane + moto, the packaged
## operator, deploy/examples/ applied, every key proven with a real S3 call, then cleaned up
demo: peers package
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.keywarden.demo.Demo \
	  -Dexec.args="$(wildcard target/keywarden-*-operator.jar)"

## keywarden as users run it, on a real single-node cluster of this machine (needs root): the node, the image
## built by Jib, helm install, deploy/examples/aws.yaml against moto, a workload using the key; removed on exit or Ctrl-C
node-demo: peers
	hack/node-demo.sh

## figures next to floors measured in the same run (README, Performance): N AccessKeys on moto
## (default 1000; make bench N=10000), M on MinIO (default 200). Prints; asserts no timing.
N ?= 1000
M ?= 200
bench: peers package
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.keywarden.bench.Bench \
	  -Dexec.args="$(wildcard target/keywarden-*-operator.jar) $(N) $(M)"

## only the fast tests (no external peers)
unit:
	$(MVN) test -Dsurefire.excludedGroups=it

## build or reuse the cached test peers (openssl, containerd, runc, CNI plugins, iptables, conntrack from Debian if missing;
## Python venvs with moto + awscli, and osc-cli + osc-sdk-python with the Outscale OpenAPI spec; kube-apiserver, etcd,
## kubectl; kubelet, kube-proxy, kube-controller-manager, kube-scheduler; the node's images; helm; minio, mc)
peers:
	hack/system-tools.sh
	hack/python-tools.sh
	hack/outscale-tools.sh
	hack/build-control-plane.sh
	hack/build-node.sh
	hack/build-images.sh
	hack/build-helm.sh
	hack/build-minio.sh

## regenerate crds/ from the Java model, copy them into the chart, re-render deploy/ (tests fail when they drift)
crds:
	$(MVN) -q process-classes
	cp target/classes/META-INF/fabric8/*.keywarden.io-v1.yml crds/
	cp crds/*.yml charts/keywarden/crds/
	hack/render-deploy.sh

## re-render deploy/ from charts/keywarden (after a chart change)
deploy:
	hack/render-deploy.sh

## the runnable operator jar: target/keywarden-*-operator.jar
package:
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
