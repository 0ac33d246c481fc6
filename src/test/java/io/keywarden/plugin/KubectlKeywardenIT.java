package io.keywarden.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.AccessKeyStatus;
import io.keywarden.api.v1alpha1.ProviderKind;
import io.keywarden.testsupport.HackScript;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.TestNamespaces;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built kubectl-keywarden plugin against a real kube-apiserver with keywarden's CRDs: what it
 * applies passes admission and is stored as the reference CLIs' flags say; rotate, info and ls
 * read and write the real objects.
 */
@Tag("it")
class KubectlKeywardenIT {
  static LocalControlPlane plane;
  static KubernetesClient client;
  static Path plugin;
  String ns;

  record Run(int exit, String stdout, String stderr) {}

  @BeforeAll
  static void build() {
    plane = LocalControlPlane.shared();
    client = plane.client();
    String script = "hack/build-kubectl-keywarden.sh";
    plugin = HackScript.lastLineDirectory(HackScript.run(script, Duration.ofMinutes(10)), script).resolve("kubectl-keywarden");
  }

  @BeforeEach
  void namespace() {
    ns = TestNamespaces.create(client, "plugin");
  }

  @Test
  void mcAdminAccesskeyCreateFlagsLandInTheSpec(@TempDir Path dir) throws IOException {
    Path policy = dir.resolve("policy.json");
    Files.writeString(policy, "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\","
        + " \"Action\": [\"s3:GetObject\"], \"Resource\": [\"arn:aws:s3:::data/*\"]}]}");
    Run run = plugin("create", "minio", "myaistor/", "tester", "--name", "tester-key", "--description",
        "Access key for tester", "--policy", policy.toString(), "--expiry", "2063-04-05", "-n", ns);
    assertThat(run.exit()).as(run.stderr()).isZero();

    AccessKey key = accessKey("tester");
    assertThat(key.getSpec().provider.name).isEqualTo("myaistor");
    assertThat(key.getSpec().user).isEqualTo("tester");
    assertThat(key.getSpec().name).isEqualTo("tester-key");
    assertThat(key.getSpec().description).isEqualTo("Access key for tester");
    assertThat(key.getSpec().policy).isEqualTo(Files.readString(policy));
    assertThat(key.getSpec().expiry).isEqualTo("2063-04-05");
  }

  @Test
  void customCredentialsBecomeASecretTheAccessKeyNames() {
    Run run = plugin("create", "minio", "myaistor/", "--access-key", "myaccesskey", "--secret-key", "mysecretkey",
        "--resource-name", "custom", "-n", ns);
    assertThat(run.exit()).as(run.stderr()).isZero();

    assertThat(accessKey("custom").getSpec().credentialsRef.secretRef.name).isEqualTo("custom-credentials");
    var secret = client.secrets().inNamespace(ns).withName("custom-credentials").get();
    assertThat(secret.getData()).containsOnlyKeys("accessKey", "secretKey");
    assertThat(run.stdout() + run.stderr()).doesNotContain("mysecretkey");
  }

  @Test
  void awsAndOutscaleForms() {
    assertThat(plugin("create", "aws", "--user-name", "Bob", "--profile", "shared", "--cluster-provider",
        "--expiry-duration", "30d", "-n", ns).exit()).isZero();
    AccessKey bob = accessKey("bob");
    assertThat(bob.getSpec().provider.kind).isEqualTo(ProviderKind.ClusterAccessKeyProvider);
    assertThat(bob.getSpec().provider.name).isEqualTo("shared");
    assertThat(bob.getSpec().user).isEqualTo("Bob");
    assertThat(bob.getSpec().expiryDuration).isEqualTo("30d");

    assertThat(plugin("create", "outscale", "--UserName", "User_Name", "--ExpirationDate", "2063-04-05", "-n", ns).exit())
        .isZero();
    AccessKey eimUser = accessKey("user-name");
    assertThat(eimUser.getSpec().provider.name).isEqualTo("outscale");
    assertThat(eimUser.getSpec().expiry).isEqualTo("2063-04-05");

    assertThat(plugin("create", "aws", "--profile", "YOUR_PROFILE", "--user-name", "USER_NAME", "--endpoint",
        "https://eim.eu-west-2.outscale.com", "--resource-name", "eim", "-n", ns).exit()).isZero();
    assertThat(accessKey("eim").getSpec().provider.name).isEqualTo("YOUR_PROFILE");
  }

  @Test
  void openIdFindsTheProviderByItsEndpoint() {
    client.resource(Serialization.unmarshal("""
        apiVersion: keywarden.io/v1alpha1
        kind: AccessKeyProvider
        metadata: {name: minio-oidc, namespace: %s}
        spec:
          minio:
            endpoint: https://myaistor.example.net
            openid: {serviceAccountToken: {serviceAccountName: minio-keys, audience: minio}}
        """.formatted(ns), AccessKeyProvider.class)).create();
    Run run = plugin("create", "openid", "https://myaistor.example.net", "--sts-only", "--expiry-duration", "1h", "-n", ns);
    assertThat(run.exit()).as(run.stderr()).isZero();

    AccessKey temporary = accessKey("minio-oidc-sts");
    assertThat(temporary.getSpec().provider.name).isEqualTo("minio-oidc");
    assertThat(temporary.getSpec().temporary).isTrue();
    assertThat(plugin("create", "openid", "https://elsewhere.example.net", "-n", ns).stderr())
        .contains("no MinIO OpenID provider with endpoint https://elsewhere.example.net");
  }

  @Test
  void admissionRefusalsReachTheUser() {
    Run tooLong = plugin("create", "minio", "myaistor/", "--name", "a".repeat(33), "-n", ns);
    assertThat(tooLong.exit()).isNotZero();
    assertThat(tooLong.stderr()).contains("spec.name").contains("32");

    Run dryRun = plugin("create", "minio", "myaistor/", "--name", "a".repeat(33), "-n", ns, "--dry-run=client", "-o", "yaml");
    assertThat(dryRun.exit()).as("a client dry run never reaches the API server").isZero();
    assertThat(client.resources(AccessKey.class).inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void rotateSetsANewRequestEachTime() {
    assertThat(plugin("create", "aws", "--user-name", "Bob", "-n", ns).exit()).isZero();
    assertThat(plugin("rotate", "bob", "-n", ns).exit()).isZero();
    String first = accessKey("bob").getMetadata().getAnnotations().get(AccessKey.ROTATE_ANNOTATION);
    assertThat(plugin("rotate", "bob", "-n", ns).exit()).isZero();
    String second = accessKey("bob").getMetadata().getAnnotations().get(AccessKey.ROTATE_ANNOTATION);
    assertThat(first).isNotBlank();
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void infoAndLsShowTheStoredStatus() {
    assertThat(plugin("create", "aws", "--user-name", "Bob", "-n", ns).exit()).isZero();
    AccessKey bob = accessKey("bob");
    AccessKeyStatus status = new AccessKeyStatus();
    status.accessKeyId = "AKIAPLUGINTEST000001";
    status.user = "Bob";
    status.revision = 3L;
    bob.setStatus(status);
    client.resource(bob).updateStatus();

    Run info = plugin("info", "bob", "-n", ns);
    assertThat(info.exit()).as(info.stderr()).isZero();
    assertThat(info.stdout()).contains("AKIAPLUGINTEST000001").contains("Parent User: Bob")
        .contains("Expiration:  never").contains("Revision:    3").doesNotContain("null");

    Run ls = plugin("ls", "-n", ns);
    assertThat(ls.exit()).as(ls.stderr()).isZero();
    assertThat(ls.stdout().lines()).hasSize(2);
    assertThat(ls.stdout()).contains("bob").contains("AKIAPLUGINTEST000001");

    assertThat(plugin("info", "nobody", "-n", ns).exit()).isNotZero();
  }

  private AccessKey accessKey(String name) {
    AccessKey key = client.resources(AccessKey.class).inNamespace(ns).withName(name).get();
    assertThat(key).as("AccessKey %s/%s", ns, name).isNotNull();
    return key;
  }

  private static Run plugin(String... args) {
    List<String> command = new ArrayList<>(List.of(plugin.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("KUBECONFIG", plane.kubeconfigPath());
    builder.environment().put("KUBECTL", plane.kubectl().toString());
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      String stdout = read(process.getInputStream());
      return new Run(process.waitFor(), stdout, stderr.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
