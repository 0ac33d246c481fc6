package io.keywarden.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.RoleAggregation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The chart's tenant ClusterRoles on a real kube-apiserver with kube-controller-manager's
 * ClusterRole aggregation controller: users bound to the built-in view, edit and admin roles in
 * their namespace get exactly keywarden's tenant rights there, proven with SubjectAccessReviews.
 */
@Tag("it")
class TenantRolesIT {
  static LocalControlPlane controlPlane;
  static KubernetesClient admin;
  static RoleAggregation aggregation;
  static String release;
  static String team;
  static String otherTeam;

  @BeforeAll
  static void installChartAndBindTenants() {
    controlPlane = LocalControlPlane.shared();
    admin = controlPlane.client();
    aggregation = RoleAggregation.start(controlPlane);
    release = unique("keywarden");
    team = unique("team");
    otherTeam = unique("other");
    for (String ns : List.of(release, team, otherTeam)) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    }
    run(controlPlane.kubectl().toString(), "--kubeconfig", controlPlane.kubeconfigPath(), "apply", "-f",
        Helm.tempFile(Helm.templateYaml(release, release)));
    for (String role : List.of("view", "edit", "admin")) {
      admin.resource(new RoleBindingBuilder()
          .withNewMetadata().withNamespace(team).withName(role + "-" + role).endMetadata()
          .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
          .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(role + "-user").endSubject()
          .build()).create();
    }
    // aggregation is asynchronous: wait until each built-in role has the chart's rules
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .failFast("kube-controller-manager exited, see " + aggregation.log(), () -> !aggregation.isAlive())
        .until(() -> allowed("view-user", "watch", "accesskeyproviders", team)
            && allowed("edit-user", "deletecollection", "accesskeys", team)
            && allowed("admin-user", "deletecollection", "accesskeys", team));
  }

  @AfterAll
  static void stopAggregation() {
    if (aggregation != null) {
      aggregation.close();
    }
  }

  @Test
  void editUsersManageAccessKeysAndOnlyReadProviders() {
    Access access = new Access("edit-user");
    for (String verb : List.of("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection")) {
      access.allowed(verb, "accesskeys", team);
    }
    for (String verb : List.of("get", "list", "watch")) {
      access.allowed(verb, "accesskeyproviders", team);
    }
    for (String verb : List.of("create", "update", "patch", "delete")) {
      access.denied(verb, "accesskeyproviders", team).denied(verb, "clusteraccesskeyproviders", null);
    }
    access.denied("get", "clusteraccesskeyproviders", null)
        // only the operator writes status: Ready and the recorded key ids
        .denied("update", "accesskeys/status", team).denied("patch", "accesskeys/status", team)
        // cluster providers' credential Secrets live in the release namespace
        .denied("get", "secrets", release).denied("list", "secrets", release)
        // another team's namespace
        .denied("create", "accesskeys", otherTeam).denied("list", "accesskeys", otherTeam)
        .denied("list", "accesskeys", null);
    access.check();
  }

  @Test
  void adminUsersGetTheSameAndNoRightOverProviders() {
    new Access("admin-user")
        .allowed("create", "accesskeys", team).allowed("delete", "accesskeys", team)
        .allowed("list", "accesskeyproviders", team)
        .denied("create", "accesskeyproviders", team).denied("update", "accesskeyproviders", team)
        .denied("update", "accesskeys/status", team).denied("get", "secrets", release)
        .denied("create", "clusteraccesskeyproviders", null)
        .check();
  }

  @Test
  void viewUsersOnlyRead() {
    new Access("view-user")
        .allowed("get", "accesskeys", team).allowed("list", "accesskeys", team).allowed("watch", "accesskeys", team)
        .allowed("get", "accesskeyproviders", team)
        .denied("create", "accesskeys", team).denied("update", "accesskeys", team).denied("delete", "accesskeys", team)
        .denied("update", "accesskeyproviders", team).denied("get", "secrets", team)
        .check();
  }

  @Test
  void theRolesAreOffWhenTheValuesSaySo() {
    String yaml = Helm.templateYaml(release, release, "--set", "rbac.tenantRoles=false");
    assertThat(yaml).doesNotContain("aggregate-to-");
    assertThat(Helm.templateYaml(release, release)).contains("aggregate-to-edit", "aggregate-to-view");
  }

  static boolean allowed(String user, String verb, String resource, String namespace) {
    String[] parts = resource.split("/", 2);
    return admin.authorization().v1().subjectAccessReview().create(new SubjectAccessReviewBuilder()
        .withNewSpec()
        .withUser(user)
        .withGroups("system:authenticated")
        .withNewResourceAttributes()
        .withVerb(verb)
        .withGroup(parts[0].contains("accesskey") ? "keywarden.io" : "")
        .withResource(parts[0])
        .withSubresource(parts.length > 1 ? parts[1] : null)
        .withNamespace(namespace)
        .endResourceAttributes()
        .endSpec()
        .build()).getStatus().getAllowed();
  }

  /** Collects SubjectAccessReview expectations for one user and checks them all at once. */
  static final class Access {
    private final String user;
    private final List<String> wrong = new ArrayList<>();

    Access(String user) {
      this.user = user;
    }

    Access allowed(String verb, String resource, String namespace) {
      return expect(true, verb, resource, namespace);
    }

    /** @param namespace null: cluster-scoped, or all namespaces */
    Access denied(String verb, String resource, String namespace) {
      return expect(false, verb, resource, namespace);
    }

    private Access expect(boolean expected, String verb, String resource, String namespace) {
      if (TenantRolesIT.allowed(user, verb, resource, namespace) != expected) {
        wrong.add((expected ? "denied but needed: " : "allowed but must not be: ") + verb + " " + resource
            + (namespace == null ? " (cluster-wide)" : " in " + namespace));
      }
      return this;
    }

    void check() {
      assertThat(wrong).as(user).isEmpty();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static void run(String... command) {
    Cli.Result result = Cli.run(List.of(command));
    assertThat(result.exitCode()).as(String.join(" ", command) + "\n" + result.output()).isZero();
  }
}
