# keywarden — see README.md
MVN := ./mvnw -B

.PHONY: test unit demo peers crds package clean

## every test: unit, controller (mock API server), integration (moto, aws CLI, kube-apiserver + etcd)
test: peers
	$(MVN) verify

## keywarden's main job on a machine without a cluster: local control plane + moto, the packaged
## operator, deploy/examples/ applied, every key proven with a real S3 call, then cleaned up
demo: peers package
	$(MVN) -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.keywarden.demo.Demo \
	  -Dexec.args="$(wildcard target/keywarden-*-operator.jar)"

## only the fast tests (no external peers)
unit:
	$(MVN) test -Dsurefire.excludedGroups=it

## build or reuse the cached test peers (Python venv with moto + awscli; kube-apiserver, etcd, kubectl)
peers:
	hack/python-tools.sh
	hack/build-control-plane.sh

## regenerate crds/ from the Java model (a test fails when they drift)
crds:
	$(MVN) -q process-classes
	cp target/classes/META-INF/fabric8/*.keywarden.io-v1.yml crds/

## the runnable operator jar: target/keywarden-*-operator.jar
package:
	$(MVN) -q -DskipTests package

clean:
	$(MVN) -q clean
