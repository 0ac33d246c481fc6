package io.keywarden.lifecycle;

import static io.keywarden.testsupport.AwsOnRealCluster.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.backend.SecretValue;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.TestNamespaces;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code spec.minio.caBundle} through the operator: a real API server (its CEL rules) and a real
 * MinIO serving https with a certificate of a private CA.
 */
@Tag("it")
class MinioTlsLifecycleIT {
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";

  static MinioServer minio;
  KubernetesClient client;
  String ns;
  KeywardenOperator operator;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.startTls();
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  @BeforeEach
  void setUp() {
    client = LocalControlPlane.shared().client();
    ns = TestNamespaces.create(client, "minio-tls");
    MinioServer.Credentials admin = minio.rootCredentials();
    client.resource(Fixtures.credentialsSecret(ns, "minio-admin", admin.accessKey(), admin.secretKey().reveal())).create();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void anAccessKeyOnATlsProviderWithItsCaBecomesReadyAndWorks() {
    client.resource(provider("minio", minio.endpoint().toString(), minio.caCertificatePem())).create();
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = minio.createUser("tls-" + ns, "readonly").accessKey();
    client.resource(Fixtures.accessKey(ns, "app", "minio", user)).create();

    awaitKey("app", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
    Secret secret = client.secrets().inNamespace(ns).withName("app").get();
    assertThat(AwsOnRealCluster.value(secret, "AWS_ENDPOINT_URL")).isEqualTo(minio.endpoint().toString());
    assertThat(secret.getData()).as("the CA is not published").containsOnlyKeys(
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL");
    Mc.Result read = minio.mc().as(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID"),
            SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY")))
        .run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    assertThat(read.ok()).as("S3 GetObject over TLS with the Secret's key: %s", read).isTrue();
  }

  @Test
  void anInvalidCaBundleLeavesTheAccessKeyNotReadyNamingTheField() {
    client.resource(provider("minio", minio.endpoint().toString(), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n"))
        .create();
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    client.resource(Fixtures.accessKey(ns, "app", "minio", "nobody")).create();

    AccessKey refused = awaitKey("app", ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .filter(c -> "False".equals(c.getStatus())).isPresent() && message(ak).contains("spec.minio.caBundle"));
    assertThat(message(refused)).contains("spec.minio.caBundle: is not valid PEM");
  }

  @Test
  void admissionRefusesACaBundleWithAnHttpEndpoint() {
    AccessKeyProvider plain = provider("plain", "http://127.0.0.1:" + minio.endpoint().getPort(), minio.caCertificatePem());

    assertThatThrownBy(() -> client.resource(plain).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.minio.caBundle needs an https:// endpoint");
  }

  private AccessKeyProvider provider(String name, String endpoint, String caBundle) {
    AccessKeyProvider provider = Fixtures.minioProvider(ns, name, endpoint, "minio-admin");
    provider.getSpec().minio.caBundle = caBundle;
    return provider;
  }

  private AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
