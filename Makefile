# keywarden — see README.md
MVN := ./mvnw -B

.PHONY: test unit peers crds package clean

## every test: unit, controller (mock API server), integration (moto, aws CLI, kube-apiserver + etcd, minio, mc)
test: peers
	$(MVN) verify

## only the fast tests (no external peers)
unit:
	$(MVN) test -Dsurefire.excludedGroups=it

## build or reuse the cached test peers (Python venv with moto + awscli; kube-apiserver, etcd, kubectl; minio, mc)
peers:
	hack/python-tools.sh
	hack/build-control-plane.sh
	hack/build-minio.sh

## regenerate crds/ from the Java model (a test fails when they drift)
crds:
	$(MVN) -q process-classes
	cp target/classes/META-INF/fabric8/*.keywarden.io-v1.yml crds/

## the runnable operator jar: target/keywarden-*-operator.jar
package:
	$(MVN) -DskipTests package

clean:
	$(MVN) -q clean
