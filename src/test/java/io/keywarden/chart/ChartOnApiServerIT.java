package io.keywarden.chart;

import io.keywarden.StandardBackends;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.keywarden.KeywardenOperator;
import io.keywarden.OperatorConfig;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterAccessKeyProvider;
import io.keywarden.api.v1alpha1.ClusterProviderSpec;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.api.v1alpha1.ProviderRef;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rendered chart on a real kube-apiserver (RBAC and Pod Security admission on; no
 * controller-manager, so nothing runs): the manifests apply, values-declared resources pass the CRD
 * schema, the pod template passes the restricted Pod Security profile, and the RBAC grants the
 * operator what it uses and nothing it should not have.
 */
@Tag("it")
class ChartOnApiServerIT {
  static LocalControlPlane controlPlane;
  static KubernetesClient admin;

  @BeforeAll
  static void installCrds() {
    controlPlane = LocalControlPlane.shared();
    admin = controlPlane.client();
    kubectlOk("apply", "-f", "charts/keywarden/crds");
    kubectlOk("wait", "--for", "condition=Established", "--timeout=60s", "-f", "charts/keywarden/crds");
  }

  @Test
  void chartWithValuesDeclaredResourcesApplies() {
    String release = uniqueName("keywarden");
    createNamespace(release, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
    String yaml = Helm.templateYaml(release, release, "--values", HelmChartIT.RESOURCES_VALUES,
        "--set", "metrics.serviceMonitor.enabled=false",
        "--set", "clusterProviders[0].name=" + release + "-shared",
        "--set", "accessKeys[1].spec.provider.name=" + release + "-shared");

    Cli.Result apply = kubectl("apply", "-f", Helm.tempFile(yaml));

    assertThat(apply.exitCode()).as(apply.output()).isZero();
    assertThat(apply.stderr()).doesNotContain("PodSecurity");
    AccessKey bob = admin.resources(AccessKey.class).inNamespace(release).withName("bob").get();
    assertThat(bob.getSpec().expiryDuration).isEqualTo("30d");
    assertThat(admin.resources(AccessKeyProvider.class).inNamespace(release).withName("aws").get().getSpec().aws.region)
        .isEqualTo("us-east-1");
    assertThat(admin.resources(ClusterAccessKeyProvider.class).withName(release + "-shared").get()
        .getSpec().allowedNamespaces.getMatchLabels()).containsEntry("keywarden.io/aws-shared", "allowed");
    assertThat(admin.resources(AccessKey.class).inNamespace(release).withName("ci").get().getSpec().secret.keys)
        .containsEntry("AWS_ACCESS_KEY_ID", "ACCESS_KEY");
  }

  @Test
  void theCrdSchemaChecksValuesDeclaredResources() {
    String release = uniqueName("keywarden");
    createNamespace(release, Map.of());
    String both = Helm.templateYaml(release, release, "--set", "accessKeys[0].name=both",
        "--set", "accessKeys[0].spec.provider.name=aws", "--set", "accessKeys[0].spec.expiryDuration=30d",
        "--set", "accessKeys[0].spec.expiry=2030-01-01");
    String typo = Helm.templateYaml(release, release, "--set", "accessKeys[0].name=typo",
        "--set", "accessKeys[0].spec.provider.name=aws", "--set", "accessKeys[0].spec.expiryDurration=30d");

    assertThat(kubectl("apply", "-f", Helm.tempFile(both)).output())
        .contains("spec.expiry and spec.expiryDuration are mutually exclusive");
    assertThat(kubectl("apply", "-f", Helm.tempFile(typo)).output()).contains("unknown field \"spec.expiryDurration\"");
    assertThat(admin.resources(AccessKey.class).inNamespace(release).list().getItems()).isEmpty();
  }

  @Test
  void thePodTemplatePassesTheRestrictedPodSecurityProfile() {
    String release = uniqueName("keywarden");
    createNamespace(release, Map.of("pod-security.kubernetes.io/enforce", "restricted"));
    Deployment deployment = HelmChartIT.only(Helm.template(release, release), Deployment.class);
    Pod pod = new PodBuilder()
        .withNewMetadata().withName("keywarden").withNamespace(release).endMetadata()
        .withSpec(deployment.getSpec().getTemplate().getSpec())
        .build();

    admin.resource(pod).create();

    // the control: the same pod may not drop its container security context
    Pod loose = new PodBuilder(pod).editMetadata().withName("loose").endMetadata().build();
    loose.getSpec().getContainers().get(0).setSecurityContext(null);
    assertThatThrownBy(() -> admin.resource(loose).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("violates PodSecurity \"restricted:latest\"");
  }

  @Test
  void deployManifestsAndExamplesApply() {
    Cli.Result deploy = kubectl("apply", "-f", "deploy/crds", "-f", "deploy/keywarden.yaml");
    assertThat(deploy.exitCode()).as(deploy.output()).isZero();
    assertThat(deploy.stderr()).doesNotContain("PodSecurity");
    assertThat(admin.apps().deployments().inNamespace("keywarden").withName("keywarden").get()).isNotNull();

    String namespace = uniqueName("examples");
    createNamespace(namespace, Map.of());
    Cli.Result examples = kubectl("apply", "-n", namespace, "-f", "deploy/examples");
    assertThat(examples.exitCode()).as(examples.output()).isZero();
    assertThat(admin.resources(AccessKey.class).inNamespace(namespace).withName("bob").get().getSpec().user)
        .isEqualTo("bob");
  }

  @Test
  void allNamespacesRbacGrantsWhatTheOperatorUsesAndNoMore() {
    String release = uniqueName("keywarden");
    String other = uniqueName("other");
    createNamespace(release, Map.of());
    createNamespace(other, Map.of());
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(release, release)));
    Access sa = new Access(release, release);

    for (String resource : List.of("accesskeys", "accesskeyproviders", "clusteraccesskeyproviders")) {
      sa.allowed("get", resource, null).allowed("list", resource, null).allowed("watch", resource, null);
      sa.allowed("update", resource + "/status", other).allowed("patch", resource + "/status", other);
    }
    sa.allowed("update", "accesskeys", other).allowed("patch", "accesskeys", other);
    for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
      sa.allowed(verb, "secrets", null).allowed(verb, "secrets", other);
    }
    sa.allowed("get", "namespaces", null).allowed("get", "configmaps", other)
        .allowed("create", "events", other).allowed("patch", "events", "default");

    sa.denied("delete", "namespaces", null).denied("list", "namespaces", null)
        .denied("create", "accesskeys", other).denied("delete", "accesskeys", other)
        .denied("update", "clusteraccesskeyproviders", null).denied("update", "accesskeyproviders", other)
        .denied("list", "configmaps", other).denied("create", "pods", other)
        .denied("create", "serviceaccounts/token", other)
        // leader election is off with one replica
        .denied("get", "leases", release);
    for (String workload : WORKLOADS) {
      sa.denied("get", workload, other).denied("patch", workload, other); // restartConsumers is off by default
    }
    sa.check();
  }

  @Test
  void workloadRestartsOnlyWhenTurnedOnAndOnlyInTheWatchedNamespaces() {
    String release = uniqueName("keywarden");
    String other = uniqueName("other");
    createNamespace(release, Map.of());
    createNamespace(other, Map.of());
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(release, release, "--set", "restartConsumers=true")));
    Access cluster = new Access(release, release);
    for (String workload : WORKLOADS) {
      cluster.allowed("get", workload, other).allowed("list", workload, other).allowed("patch", workload, other)
          .allowed("list", workload, null)
          .denied("update", workload, other).denied("create", workload, other).denied("delete", workload, other)
          .denied("watch", workload, other).denied("patch", workload + "/scale", other);
    }
    cluster.denied("patch", "replicasets", other).denied("delete", "pods", other).check();

    String namespaced = uniqueName("keywarden");
    String watched = uniqueName("w");
    for (String ns : List.of(namespaced, watched)) {
      createNamespace(ns, Map.of());
    }
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(namespaced, namespaced, "--set", "restartConsumers=true",
        "--set-json", "watchNamespaces=[\"" + watched + "\"]")));
    Access scoped = new Access(namespaced, namespaced);
    for (String workload : WORKLOADS) {
      scoped.allowed("get", workload, watched).allowed("list", workload, watched).allowed("patch", workload, watched)
          .denied("patch", workload, other).denied("list", workload, other).denied("list", workload, null)
          .denied("patch", workload, namespaced);
    }
    scoped.check();
  }

  @Test
  void serviceAccountTokensOnlyForTheListedOpenIdServiceAccounts() {
    String release = uniqueName("keywarden");
    String team = uniqueName("team");
    createNamespace(release, Map.of());
    createNamespace(team, Map.of());
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(release, release,
        "--set-json", "openidServiceAccounts=[{\"namespace\":\"" + team + "\",\"name\":\"minio-keys\"}]")));
    new Access(release, release)
        .allowed("create", "serviceaccounts/token", team, "minio-keys").allowed("get", "serviceaccounts", team, "minio-keys")
        .denied("create", "serviceaccounts/token", team, "default").denied("create", "serviceaccounts/token", team)
        .denied("create", "serviceaccounts/token", release, "minio-keys").denied("list", "serviceaccounts", team)
        .check();
  }

  @Test
  void namespacedRbacStaysInTheWatchedNamespaces() {
    String release = uniqueName("keywarden");
    String watched1 = uniqueName("w1");
    String watched2 = uniqueName("w2");
    String unwatched = uniqueName("u");
    for (String ns : List.of(release, watched1, watched2, unwatched)) {
      createNamespace(ns, Map.of());
    }
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(release, release,
        "--set-json", "watchNamespaces=[\"" + watched1 + "\",\"" + watched2 + "\"]", "--set", "leaderElection=true")));
    Access sa = new Access(release, release);

    for (String ns : List.of(watched1, watched2)) {
      for (String resource : List.of("accesskeys", "accesskeyproviders")) {
        sa.allowed("get", resource, ns).allowed("list", resource, ns).allowed("watch", resource, ns);
        sa.allowed("update", resource + "/status", ns).allowed("patch", resource + "/status", ns);
      }
      sa.allowed("update", "accesskeys", ns).allowed("patch", "accesskeys", ns);
      for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete")) {
        sa.allowed(verb, "secrets", ns);
      }
      sa.allowed("create", "events", ns).allowed("patch", "events", ns).allowed("get", "configmaps", ns);
    }
    sa.allowed("get", "clusteraccesskeyproviders", null).allowed("list", "clusteraccesskeyproviders", null)
        .allowed("watch", "clusteraccesskeyproviders", null)
        .allowed("update", "clusteraccesskeyproviders/status", null)
        .allowed("patch", "clusteraccesskeyproviders/status", null)
        .allowed("get", "namespaces", null)
        // ClusterAccessKeyProvider credentials
        .allowed("get", "secrets", release)
        .allowed("get", "leases", release).allowed("create", "leases", release).allowed("update", "leases", release)
        .allowed("patch", "leases", release);

    sa.denied("get", "secrets", unwatched).denied("list", "secrets", unwatched)
        .denied("list", "secrets", null).denied("watch", "secrets", null)
        .denied("list", "accesskeys", unwatched).denied("list", "accesskeys", null)
        .denied("watch", "accesskeyproviders", null).denied("create", "events", unwatched)
        .denied("list", "secrets", release).denied("create", "secrets", release)
        .denied("get", "leases", watched1).denied("delete", "namespaces", null)
        .denied("get", "configmaps", unwatched);
    sa.check();
  }

  /**
   * The operator itself, as the chart's ServiceAccount with the chart's environment (namespaced
   * mode), takes keys through create, publish and delete on an in-memory backend, through an
   * AccessKeyProvider and through a ClusterAccessKeyProvider with its credentials in the release
   * namespace. (Leader election is off here: JOSDK ends the JVM when a leader stops; the next test
   * covers the Lease.)
   */
  @Test
  void theOperatorRunsOnTheNamespacedRbac() {
    String release = uniqueName("keywarden");
    String watched = uniqueName("w");
    String viaCluster = uniqueName("wc");
    createNamespace(release, Map.of());
    createNamespace(watched, Map.of());
    createNamespace(viaCluster, Map.of("keywarden.io/shared", "yes"));
    String yaml = Helm.templateYaml(release, release,
        "--set-json", "watchNamespaces=[\"" + watched + "\",\"" + viaCluster + "\"]");
    kubectlOk("apply", "-f", Helm.tempFile(yaml));
    OperatorConfig config = OperatorConfig.fromEnvironment(
        environment(HelmChartIT.only(Helm.parse(yaml), Deployment.class), release));
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder(watched, viaCluster);

    admin.resource(Fixtures.credentialsSecret(watched, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    admin.resource(Fixtures.awsProvider(watched, "aws", "http://127.0.0.1:1", "aws-admin")).create();
    admin.resource(Fixtures.credentialsSecret(release, "aws-shared", "AKIDSHARED", "shared-secret")).create();
    ClusterAccessKeyProvider shared = new ClusterAccessKeyProvider();
    shared.setMetadata(new ObjectMetaBuilder().withName(release + "-shared").build());
    shared.setSpec(new ClusterProviderSpec());
    shared.getSpec().aws = Fixtures.awsProvider(release, "unused", "http://127.0.0.1:1", "aws-shared").getSpec().aws;
    shared.getSpec().allowedNamespaces = new LabelSelectorBuilder().addToMatchLabels("keywarden.io/shared", "yes").build();
    shared.getSpec().allowedUsers = List.of("carol");
    admin.resource(shared).create();

    InMemoryKeyBackend backend = new InMemoryKeyBackend(Clock.systemUTC());
    try (KubernetesClient client = asServiceAccount(release);
        KeywardenOperator operator = KeywardenOperator.create(client, config, StandardBackends.registry(), p -> backend,
            (step, ak) -> {}, Clock.systemUTC(), KeywardenTestOperator.FAST)) {
      operator.start();
      await().atMost(Duration.ofSeconds(60)).until(operator::isHealthy);

      admin.resource(Fixtures.accessKey(watched, "app", "aws", "bob")).create();
      AccessKey viaShared = Fixtures.accessKey(viaCluster, "app", release + "-shared", "carol");
      viaShared.getSpec().provider = new ProviderRef(release + "-shared", ProviderKind.ClusterAccessKeyProvider);
      admin.resource(viaShared).create();

      for (String ns : List.of(watched, viaCluster)) {
        AccessKey ready = awaitReady(ns, "app");
        Secret secret = admin.secrets().inNamespace(ns).withName("app").get();
        assertThat(secret.getMetadata().getAnnotations()).containsValue(ready.getStatus().accessKeyId);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> !admin.v1().events().inNamespace(watched).list().getItems().isEmpty());

      admin.resources(AccessKey.class).inNamespace(watched).withName("app").delete();
      await().atMost(Duration.ofSeconds(30))
          .until(() -> admin.resources(AccessKey.class).inNamespace(watched).withName("app").get() == null);
      assertThat(backend.allKeys()).singleElement().satisfies(k -> assertThat(k.user()).isEqualTo("carol"));
    }
  }

  /**
   * A shard's Deployment, as the chart's ServiceAccount with that Deployment's environment: it
   * serves its labelled AccessKey and holds the (provider, user) Lease in the release namespace
   * around the create, which the chart's Role must allow (get, create, update).
   */
  @Test
  void aShardRunsOnTheChartsRbacWithItsUserLeases() {
    String release = uniqueName("keywarden");
    String watched = uniqueName("w");
    createNamespace(release, Map.of());
    createNamespace(watched, Map.of());
    String yaml = Helm.templateYaml(release, release,
        "--set-json", "watchNamespaces=[\"" + watched + "\"]", "--set-json", "shards=[{\"name\":\"blue\"}]");
    kubectlOk("apply", "-f", Helm.tempFile(yaml));
    Deployment blue = HelmChartIT.all(Helm.parse(yaml), Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().endsWith("-shard-blue")).findFirst().orElseThrow();
    OperatorConfig config = OperatorConfig.fromEnvironment(environment(blue, release));
    assertThat(config.shard().name()).isEqualTo("blue");
    assertThat(config.userLeases()).isTrue();

    admin.resource(Fixtures.credentialsSecret(watched, "aws-admin", "AKIDADMIN", "admin-secret")).create();
    admin.resource(Fixtures.awsProvider(watched, "aws", "http://127.0.0.1:1", "aws-admin")).create();
    InMemoryKeyBackend backend = new InMemoryKeyBackend(Clock.systemUTC());
    try (KubernetesClient client = asServiceAccount(release);
        KeywardenOperator operator = KeywardenOperator.create(client, config, StandardBackends.registry(), p -> backend,
            (step, ak) -> {}, Clock.systemUTC(), KeywardenTestOperator.FAST)) {
      operator.start();
      await().atMost(Duration.ofSeconds(60)).until(operator::isHealthy);
      AccessKey accessKey = Fixtures.accessKey(watched, "app", "aws", "bob");
      accessKey.getMetadata().setLabels(Map.of("keywarden.io/shard", "blue"));
      admin.resource(accessKey).create();

      AccessKey ready = awaitReady(watched, "app");
      assertThat(backend.allKeys()).singleElement().satisfies(k -> assertThat(k.accessKeyId())
          .isEqualTo(ready.getStatus().accessKeyId));
      List<Lease> userLeases = admin.leases().inNamespace(release).list().getItems().stream()
          .filter(l -> l.getMetadata().getName().startsWith("keywarden-user-")).toList();
      assertThat(userLeases).as("the create held one Lease and gave it up").singleElement()
          .satisfies(l -> assertThat(l.getSpec().getHolderIdentity()).isNull());
    }
  }

  /** fabric8's LeaseLock, as JOSDK uses it, acquires and renews the Lease on the chart's Role. */
  @Test
  void leaderElectionAcquiresAndRenewsTheLease() {
    String release = uniqueName("keywarden");
    createNamespace(release, Map.of());
    kubectlOk("apply", "-f", Helm.tempFile(Helm.templateYaml(release, release, "--set", "replicas=2")));
    AtomicBoolean leading = new AtomicBoolean();

    try (KubernetesClient client = asServiceAccount(release)) {
      CompletableFuture<?> election = client.leaderElector().withConfig(new LeaderElectionConfigBuilder()
              .withName("keywarden")
              .withLock(new LeaseLock(release, "keywarden-leader", "pod-1"))
              .withLeaseDuration(Duration.ofSeconds(4))
              .withRenewDeadline(Duration.ofSeconds(3))
              .withRetryPeriod(Duration.ofMillis(300))
              .withLeaderCallbacks(new LeaderCallbacks(() -> leading.set(true), () -> leading.set(false), id -> {}))
              .build())
          .build().start();
      try {
        // renewTime moves past acquireTime only through a renewal (a PATCH)
        Lease lease = await().atMost(Duration.ofSeconds(30)).until(
            () -> admin.leases().inNamespace(release).withName("keywarden-leader").get(),
            l -> l != null && l.getSpec().getRenewTime().isAfter(l.getSpec().getAcquireTime()));
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("pod-1");
        assertThat(leading).isTrue();
        assertThat(election).isNotDone();
      } finally {
        election.cancel(true);
      }
    }
  }

  // --- helpers

  static AccessKey awaitReady(String namespace, String name) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> admin.resources(AccessKey.class).inNamespace(namespace).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  /** The container environment as the kubelet would give it (the namespace from the downward API). */
  static Map<String, String> environment(Deployment deployment, String namespace) {
    Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      env.put(var.getName(), var.getValueFrom() != null ? namespace : var.getValue());
    }
    return env;
  }

  /** A client that acts as the release's ServiceAccount (impersonation, as kubectl --as does). */
  static KubernetesClient asServiceAccount(String release) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(admin.getConfiguration())
            .withImpersonateUsername(serviceAccountUser(release, release))
            .withImpersonateGroups(serviceAccountGroups(release))
            .build())
        .build();
  }

  static String serviceAccountUser(String namespace, String name) {
    return "system:serviceaccount:" + namespace + ":" + name;
  }

  static String[] serviceAccountGroups(String namespace) {
    return new String[] {"system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated"};
  }

  /** Collects SubjectAccessReview expectations for a ServiceAccount and checks them all at once. */
  static final List<String> WORKLOADS = List.of("deployments", "statefulsets", "daemonsets");

  static final class Access {
    private final String user;
    private final String namespace;
    private final List<String> wrong = new ArrayList<>();

    Access(String namespace, String name) {
      this.user = serviceAccountUser(namespace, name);
      this.namespace = namespace;
    }

    Access allowed(String verb, String resource, String namespace) {
      return expect(true, verb, resource, namespace, null);
    }

    Access denied(String verb, String resource, String namespace) {
      return expect(false, verb, resource, namespace, null);
    }

    /** For one object by name, as RBAC resourceNames grant. */
    Access allowed(String verb, String resource, String namespace, String name) {
      return expect(true, verb, resource, namespace, name);
    }

    Access denied(String verb, String resource, String namespace, String name) {
      return expect(false, verb, resource, namespace, name);
    }

    /** @param namespace null: cluster-scoped, or all namespaces */
    private Access expect(boolean allowed, String verb, String resource, String namespace, String name) {
      String[] parts = resource.split("/", 2);
      String group = parts[0].contains("accesskey") ? "keywarden.io" : parts[0].equals("leases") ? "coordination.k8s.io"
          : WORKLOADS.contains(parts[0]) || parts[0].equals("replicasets") ? "apps" : "";
      SubjectAccessReview review = new SubjectAccessReviewBuilder()
          .withNewSpec()
          .withUser(user)
          .withGroups(serviceAccountGroups(this.namespace))
          .withNewResourceAttributes()
          .withVerb(verb).withGroup(group).withResource(parts[0])
          .withSubresource(parts.length > 1 ? parts[1] : null)
          .withNamespace(namespace)
          .withName(name)
          .endResourceAttributes()
          .endSpec()
          .build();
      boolean actual = admin.authorization().v1().subjectAccessReview().create(review).getStatus().getAllowed();
      if (actual != allowed) {
        wrong.add((allowed ? "denied but needed: " : "allowed but must not be: ") + verb + " " + resource
            + (name == null ? "" : " " + name) + (namespace == null ? " (cluster-wide)" : " in " + namespace));
      }
      return this;
    }

    void check() {
      assertThat(wrong).isEmpty();
    }
  }

  /** A release named keywarden-* has objects and a ServiceAccount of that same name. */
  static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void createNamespace(String name, Map<String, String> labels) {
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build())
        .create();
  }

  static Cli.Result kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of(controlPlane.kubectl().toString(),
        "--kubeconfig", controlPlane.kubeconfigPath()));
    command.addAll(List.of(args));
    return Cli.run(command);
  }

  static void kubectlOk(String... args) {
    Cli.Result result = kubectl(args);
    assertThat(result.exitCode()).as("kubectl " + String.join(" ", args) + "\n" + result.output()).isZero();
  }
}
