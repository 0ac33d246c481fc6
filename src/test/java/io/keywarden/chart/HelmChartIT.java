package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart as helm sees it: lint, the values schema, and what the templates render. */
@Tag("it")
class HelmChartIT {
  static final String NAMESPACED_VALUES = "charts/keywarden/ci/namespaced-values.yaml";
  static final String RESOURCES_VALUES = "charts/keywarden/ci/resources-values.yaml";

  @ParameterizedTest(name = "helm lint --strict {0}")
  @ValueSource(strings = {"", NAMESPACED_VALUES, RESOURCES_VALUES})
  void lintPasses(String valuesFile) {
    Cli.Result lint = valuesFile.isEmpty()
        ? Helm.run("lint", "--strict", Helm.CHART.toString())
        : Helm.run("lint", "--strict", Helm.CHART.toString(), "--values", valuesFile);
    assertThat(lint.exitCode()).as(lint.output()).isZero();
  }

  @Test
  void defaultDeploymentRunsUnderTheRestrictedPodSecurityProfile() {
    Deployment deployment = only(Helm.template("keywarden", "kw"), Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);

    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("kw");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(container.getImage()).isEqualTo("ghcr.io/keywarden/keywarden:0.1.0");
    assertThat(pod.getServiceAccountName()).isEqualTo("keywarden");

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getSecurityContext().getPrivileged()).isNull();
    assertThat(container.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());

    assertThat(env(container)).containsEntry("KEYWARDEN_LEADER_ELECTION", "false")
        .containsEntry("KEYWARDEN_WATCH_NAMESPACES", "")
        .containsEntry("KEYWARDEN_RESYNC_INTERVAL", "5m")
        .containsEntry("KEYWARDEN_RECONCILE_THREADS", "10")
        .containsEntry("KEYWARDEN_HEALTH_PORT", "8081")
        .containsEntry("KEYWARDEN_MINIO_ADMIN_CALLS", "0")
        .doesNotContainKey("KEYWARDEN_BACKEND_CALLS_PER_SECOND") // the operator's defaults
        .hasEntrySatisfying("JAVA_TOOL_OPTIONS", v -> assertThat(v).contains("-XX:MaxRAMPercentage="));
    assertThat(container.getEnv()).filteredOn(e -> e.getName().equals("KEYWARDEN_NAMESPACE")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace"));

    assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("health:8081", "http-metrics:8080");
    assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(container.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));
  }

  @Test
  void backendCallsPerSecondBecomesTheOperatorsCallBudget() {
    // --set would pass 2.5 as a string (Helm parses only integers there); a values file or --set-json keeps it a number
    Container container = only(Helm.template("keywarden", "kw", "--set-json", "backendCallsPerSecond={\"aws\":50,\"minio\":2.5}"),
        Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    String value = env(container).get("KEYWARDEN_BACKEND_CALLS_PER_SECOND");
    assertThat(value).isEqualTo("aws=50,minio=2.5");
    assertThat(io.keywarden.budget.BudgetLimit.fromEnvironment(Map.of("KEYWARDEN_BACKEND_CALLS_PER_SECOND", value)))
        .as("the operator reads what the chart renders")
        .hasEntrySatisfying("aws", l -> assertThat(l.callsPerSecond()).isEqualTo(50.0))
        .hasEntrySatisfying("minio", l -> assertThat(l.callsPerSecond()).isEqualTo(2.5))
        .hasEntrySatisfying("outscale", l -> assertThat(l.callsPerSecond()).isEqualTo(5.0));
  }

  @Test
  void defaultRenderHasAMetricsServiceAndNoServiceMonitor() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw");
    Service service = only(objects, Service.class);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http-metrics");
      assertThat(p.getPort()).isEqualTo(8080);
    });
    assertThat(service.getSpec().getSelector())
        .isEqualTo(only(objects, Deployment.class).getSpec().getSelector().getMatchLabels());
    assertThat(objects).extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Service", "Deployment",
            "ClusterRole", "ClusterRole"); // the tenant roles (view, edit)
    assertThat(tenantRoles(objects)).extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("keywarden-tenant-view", "keywarden-tenant-edit");
  }

  @Test
  void serviceMonitorScrapesTheMetricsPort() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set", "metrics.serviceMonitor.enabled=true");
    GenericKubernetesResource monitor = objects.stream().filter(o -> o.getKind().equals("ServiceMonitor"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(monitor.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat((Object) monitor.get("spec", "endpoints", 0, "port")).isEqualTo("http-metrics");
    assertThat((Object) monitor.get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    assertThat((Map<?, ?>) monitor.get("spec", "selector", "matchLabels"))
        .isEqualTo(only(objects, Service.class).getSpec().getSelector());
  }

  @ParameterizedTest(name = "{0} -> leader election {1}, {2}")
  @CsvSource({
      "replicas=1, false, Recreate",
      "replicas=2, true, RollingUpdate",
      "leaderElection=true, true, RollingUpdate"})
  void leaderElectionWhenMoreThanOneReplicaOrAskedFor(String set, boolean on, String strategy) {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set", set);
    Deployment deployment = only(objects, Deployment.class);
    assertThat(env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("KEYWARDEN_LEADER_ELECTION", Boolean.toString(on));
    assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo(strategy);
    List<Role> leaseRoles = all(objects, Role.class).stream()
        .filter(r -> r.getRules().stream().anyMatch(rule -> rule.getResources().contains("leases"))).toList();
    if (on) {
      assertThat(leaseRoles).singleElement().satisfies(r -> {
        assertThat(r.getMetadata().getNamespace()).isEqualTo("kw");
        assertThat(r.getRules()).singleElement().satisfies(rule -> {
          assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
          assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "create", "update", "patch");
        });
      });
    } else {
      assertThat(leaseRoles).isEmpty();
    }
  }

  /**
   * Each shard: a Deployment of its own beside the default one, whose selectors never match each
   * other's pods, with its shard name, the same ServiceAccount (the same RBAC), a metrics Service,
   * and the Lease Role that its (provider, user) Leases need even without leader election.
   */
  @Test
  void eachShardRendersADeploymentOfItsOwnBesideTheDefault() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set-json",
        "shards=[{\"name\":\"team-a\"},{\"name\":\"team-b\",\"resources\":{\"limits\":{\"memory\":\"1Gi\"}}}]");
    Map<String, Deployment> deployments = all(objects, Deployment.class).stream()
        .collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
    assertThat(deployments).containsOnlyKeys("keywarden", "keywarden-shard-team-a", "keywarden-shard-team-b");

    Map<String, String> shardOf = Map.of("keywarden", "", "keywarden-shard-team-a", "team-a",
        "keywarden-shard-team-b", "team-b");
    deployments.forEach((name, deployment) -> {
      Map<String, String> env = env(deployment.getSpec().getTemplate().getSpec().getContainers().get(0));
      assertThat(env.getOrDefault("KEYWARDEN_SHARD", "")).as(name).isEqualTo(shardOf.get(name));
      assertThat(env).as(name).containsEntry("KEYWARDEN_USER_LEASES", "true");
      assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo("keywarden");
      deployments.forEach((otherName, other) -> {
        boolean selects = other.getSpec().getTemplate().getMetadata().getLabels().entrySet()
            .containsAll(deployment.getSpec().getSelector().getMatchLabels().entrySet());
        assertThat(selects).as("%s selects the pods of %s", name, otherName).isEqualTo(name.equals(otherName));
      });
    });
    assertThat(deployments.get("keywarden-shard-team-b").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getResources().getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(deployments.get("keywarden-shard-team-a").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));

    assertThat(all(objects, Service.class)).extracting(svc -> svc.getSpec().getSelector())
        .containsExactlyInAnyOrderElementsOf(deployments.values().stream()
            .map(d -> d.getSpec().getSelector().getMatchLabels()).toList());
    assertThat(all(objects, Role.class)).filteredOn(r -> r.getRules().stream()
            .anyMatch(rule -> rule.getResources().contains("leases")))
        .singleElement().satisfies(r -> assertThat(r.getRules()).singleElement()
            .satisfies(rule -> assertThat(rule.getVerbs()).contains("get", "create", "update")));
  }

  @Test
  void aShardNameThatCannotNameALeaseIsRefusedByTheSchema() {
    Cli.Result template = Helm.run("template", "keywarden", Helm.CHART.toString(), "--set-json", "shards=[{\"name\":\"Team_A\"}]");
    assertThat(template.exitCode()).isNotZero();
    assertThat(template.output()).contains("shards");
  }

  @Test
  void allNamespacesModeBindsOneClusterRole() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw");
    ClusterRole role = operatorClusterRole(objects);
    assertThat(resources(role.getRules())).contains("secrets", "namespaces", "events", "accesskeys",
        "accesskeyproviders", "clusteraccesskeyproviders", "accesskeys/status");
    ClusterRoleBinding binding = only(objects, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(only(objects, ServiceAccount.class).getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo("kw");
    });
    assertThat(all(objects, Role.class)).isEmpty();
  }

  @Test
  void namespacedModeGrantsSecretsOnlyInTheWatchedNamespaces() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--values", NAMESPACED_VALUES);
    assertThat(env(only(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("KEYWARDEN_WATCH_NAMESPACES", "team-a,team-b");

    ClusterRole clusterRole = operatorClusterRole(objects);
    assertThat(resources(clusterRole.getRules()))
        .containsExactlyInAnyOrder("clusteraccesskeyproviders", "clusteraccesskeyproviders/status", "namespaces");

    Map<String, List<String>> rolesByNamespace = all(objects, Role.class).stream().collect(Collectors.groupingBy(
        r -> r.getMetadata().getNamespace(), Collectors.mapping(r -> r.getMetadata().getName(), Collectors.toList())));
    assertThat(rolesByNamespace).containsOnlyKeys("team-a", "team-b", "kw");
    assertThat(rolesByNamespace.get("team-a")).containsExactly("keywarden");
    assertThat(rolesByNamespace.get("kw"))
        .containsExactlyInAnyOrder("keywarden-provider-credentials", "keywarden-leader-election");
    Role credentials = all(objects, Role.class).stream()
        .filter(r -> r.getMetadata().getName().equals("keywarden-provider-credentials")).findFirst().orElseThrow();
    assertThat(credentials.getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getResources()).containsExactly("secrets");
      assertThat(rule.getVerbs()).containsExactly("get");
    });
    for (Role role : all(objects, Role.class)) {
      assertThat(all(objects, RoleBinding.class)).anySatisfy(b -> {
        assertThat(b.getMetadata().getNamespace()).isEqualTo(role.getMetadata().getNamespace());
        assertThat(b.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      });
    }
  }

  @Test
  void prometheusRuleCarriesTheTestedAlerts() throws IOException {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set", "metrics.prometheusRule.enabled=true",
        "--set", "metrics.prometheusRule.labels.release=prom");
    GenericKubernetesResource rule = objects.stream().filter(o -> o.getKind().equals("PrometheusRule"))
        .map(GenericKubernetesResource.class::cast).findFirst().orElseThrow();
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "prom");
    Object shipped = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
        .readValue(Path.of("charts/keywarden/files/alerts.yaml").toFile(), Map.class).get("groups");
    assertThat((Object) rule.get("spec", "groups")).isEqualTo(shipped);
  }

  @Test
  void grafanaDashboardConfigMapHoldsTheDashboard() throws IOException {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set", "metrics.grafanaDashboard.enabled=true");
    io.fabric8.kubernetes.api.model.ConfigMap dashboard = only(objects, io.fabric8.kubernetes.api.model.ConfigMap.class);
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData().get("keywarden-dashboard.json"))
        .isEqualTo(Files.readString(Path.of("charts/keywarden/files/keywarden-dashboard.json")).stripTrailing());
  }

  @Test
  void namespacedModeWatchingTheReleaseNamespaceNeedsNoExtraCredentialsRole() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--set", "watchNamespaces={kw,team-a}");
    assertThat(all(objects, Role.class)).extracting(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
        .containsExactlyInAnyOrder("kw/keywarden", "team-a/keywarden");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "replicas=two               | at '/replicas': got string, want integer",
      "replica=2                  | additional properties 'replica' not allowed",
      "resyncInterval=5 minutes   | at '/resyncInterval'",
      "healthPort=8080            | at '/healthPort'",
      "minioAdminCalls=-1         | at '/minioAdminCalls'",
      "backendCallsPerSecond.aws=0 | at '/backendCallsPerSecond/aws'",
      "backendCallsPerSecond.gcp=1 | additional properties 'gcp' not allowed",
      "watchNamespaces={Team-A}   | at '/watchNamespaces/0'",
      "image.pullPolicy=Sometimes | at '/image/pullPolicy'",
      "accessKeys[0].name=bob     | missing property 'spec'"})
  void schemaRejectsBadValues(String set, String error) {
    Cli.Result result = Helm.run("template", "keywarden", Helm.CHART.toString(), "--set", set);
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.stderr()).contains("values don't meet the specifications of the schema").contains(error);
  }

  @Test
  void valuesDeclareKeywardenResources() {
    List<HasMetadata> objects = Helm.template("keywarden", "kw", "--values", RESOURCES_VALUES);
    Map<String, HasMetadata> byKind = objects.stream().filter(o -> o.getApiVersion().equals("keywarden.io/v1alpha1"))
        .collect(Collectors.toMap(o -> o.getKind() + "/" + o.getMetadata().getName(), o -> o));
    assertThat(byKind).containsOnlyKeys("ClusterAccessKeyProvider/aws-shared", "AccessKeyProvider/aws",
        "AccessKey/bob", "AccessKey/ci");
    assertThat(byKind.get("ClusterAccessKeyProvider/aws-shared").getMetadata().getNamespace()).isNull();
    assertThat(byKind.get("AccessKey/bob").getMetadata().getNamespace()).isEqualTo("kw");
    assertThat(byKind.get("AccessKey/bob").getMetadata().getAnnotations()).containsEntry("example.com/owner", "team-a");
    assertThat(byKind.get("AccessKeyProvider/aws").getMetadata().getLabels()).containsEntry("team", "a")
        .containsEntry("app.kubernetes.io/managed-by", "Helm");
  }

  @Test
  void deployManifestsAreRenderedFromTheChart(@TempDir Path out) throws IOException {
    Cli.Result render = Cli.run(List.of(Path.of("hack", "render-deploy.sh").toAbsolutePath().toString(),
        out.toString()));
    assertThat(render.exitCode()).as(render.stderr()).isZero();
    assertThat(Files.readString(Path.of("deploy", "keywarden.yaml")))
        .as("deploy/keywarden.yaml is stale: run hack/render-deploy.sh")
        .isEqualTo(Files.readString(out.resolve("keywarden.yaml")));
    try (Stream<Path> crds = Files.list(out.resolve("crds"))) {
      for (Path crd : crds.toList()) {
        assertThat(Path.of("deploy", "crds").resolve(crd.getFileName())).hasSameBinaryContentAs(crd);
      }
    }
  }

  // --- helpers

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T only(List<HasMetadata> objects, Class<T> type) {
    List<T> matches = all(objects, type);
    assertThat(matches).as(type.getSimpleName()).hasSize(1);
    return matches.get(0);
  }

  /** The ClusterRoles the chart aggregates to the built-in view/edit/admin roles for tenants. */
  static List<ClusterRole> tenantRoles(List<HasMetadata> objects) {
    return all(objects, ClusterRole.class).stream().filter(HelmChartIT::aggregated).toList();
  }

  /** The one ClusterRole the operator's ServiceAccount is bound to (not a tenant role). */
  static ClusterRole operatorClusterRole(List<HasMetadata> objects) {
    List<ClusterRole> roles = all(objects, ClusterRole.class).stream().filter(r -> !aggregated(r)).toList();
    assertThat(roles).as("the operator's ClusterRole").hasSize(1);
    return roles.get(0);
  }

  private static boolean aggregated(ClusterRole role) {
    return role.getMetadata().getLabels().keySet().stream()
        .anyMatch(k -> k.startsWith("rbac.authorization.k8s.io/aggregate-to-"));
  }

  static Map<String, String> env(Container container) {
    return container.getEnv().stream().filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static List<String> resources(List<PolicyRule> rules) {
    return rules.stream().flatMap(r -> r.getResources().stream()).distinct().toList();
  }
}
