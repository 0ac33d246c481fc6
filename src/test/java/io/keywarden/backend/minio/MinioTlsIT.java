package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.api.v1alpha1.MinioCredentials;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.TokenSource;
import io.keywarden.secret.CredentialEntries;
import io.keywarden.provider.ResolvedProvider;
import io.keywarden.api.SpecProblem;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.TestCa;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spec.minio.caBundle} against a real MinIO serving https with a certificate of a private
 * CA. Whether a key works is checked with the real {@code mc}, which trusts that CA on its own.
 */
@Tag("it")
class MinioTlsIT {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static final String BUCKET = "data";
  private static final String OBJECT = "hello.txt";

  private static MinioServer minio;
  private static CaBundle trusted;

  @BeforeAll
  static void startMinio() {
    minio = MinioServer.startTls();
    trusted = CaBundle.parse(minio.caCertificatePem());
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    minio.mc().jsonLines("cp", minio.writeFile(OBJECT, "hello").toString(), Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
  }

  @AfterAll
  static void stopMinio() {
    if (minio != null) {
      minio.close();
    }
  }

  private static MinioKeyBackend backend(CaBundle bundle) {
    MinioServer.Credentials root = minio.rootCredentials();
    return MinioKeyBackend.create(
        MinioBackendConfig.of(minio.endpoint(), root.accessKey(), root.secretKey()).withCaBundle(bundle));
  }

  private static void assertTlsRefusal(Throwable t) {
    assertThat(t).isInstanceOf(BackendException.class);
    assertThat(((BackendException) t).reason()).as(t.getMessage()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(t.getMessage())
        .contains("TLS", "certificate", "spec.minio.caBundle")
        .doesNotContain(minio.rootCredentials().secretKey().reveal());
  }

  @Test
  void withTheCaBundleAKeyIsCreatedOverTlsAndWorks() {
    assertThat(minio.endpoint().getScheme()).isEqualTo("https");
    String user = minio.createUser("tls-user" + NAMES.incrementAndGet(), "readonly").accessKey();
    MinioKeyBackend backend = backend(trusted);

    IssuedKey key = backend.create(new CreateKeyRequest(user, "n", null, null));

    backend.verify(key);
    assertThat(backend.info(key.accessKeyId()).orElseThrow().parentUser()).isEqualTo(user);
    Mc.Result read = minio.mc().as(key.accessKeyId(), key.secretAccessKey())
        .run("cat", Mc.ALIAS + "/" + BUCKET + "/" + OBJECT);
    assertThat(read.ok()).as("S3 GetObject over TLS signed with the new key: %s", read).isTrue();
    assertThat(read.stdout()).isEqualTo("hello");
  }

  @Test
  void withoutTheCaBundleTheJvmDefaultsRefuseTheCertificate() {
    assertThatThrownBy(() -> backend(null).whoAmI()).satisfies(MinioTlsIT::assertTlsRefusal);
  }

  @Test
  void aBundleOfAnotherCaIsTheOnlyTrustAndIsRefused(@TempDir Path dir) {
    CaBundle other = CaBundle.parse(TestCa.create(dir, "another CA").certificatePem());

    assertThatThrownBy(() -> backend(other).whoAmI()).satisfies(MinioTlsIT::assertTlsRefusal);
  }

  /**
   * MinIO has no OpenID configuration here, so STS refuses any token; that it answers at all
   * proves the STS client completed the TLS handshake with the bundle, and failed without it.
   */
  @Test
  void theOpenIdStsClientTrustsTheSameBundle() {
    TokenSource token = () -> SecretValue.of("not-a-real-token");
    try (MinioWebIdentity withBundle =
            MinioWebIdentity.create(minio.endpoint(), null, null, trusted, token, Clock.systemUTC());
        MinioWebIdentity withoutBundle =
            MinioWebIdentity.create(minio.endpoint(), null, null, null, token, Clock.systemUTC())) {
      assertThatThrownBy(() -> withBundle.assume(null, null))
          .isInstanceOf(BackendException.class)
          .satisfies(t -> assertThat(((BackendException) t).reason()).as(t.getMessage()).isNotEqualTo(Reason.UNAVAILABLE))
          .hasMessageNotContaining("TLS");
      assertThatThrownBy(() -> withoutBundle.assume(null, null)).satisfies(MinioTlsIT::assertTlsRefusal);
    }
  }

  @Test
  void anInvalidBundleIsASpecProblemNamingTheField() {
    String corrupt = minio.caCertificatePem().replaceFirst("(?m)^([A-Za-z0-9+/]{10})", "$1!!!!");

    for (String bundle : new String[] {"not a certificate", corrupt}) {
      assertThatThrownBy(() -> connect(provider(minio.endpoint().toString(), bundle)))
          .isInstanceOf(SpecProblem.class)
          .hasMessageStartingWith("spec.minio.caBundle: ");
    }
    assertThatThrownBy(() -> connect(
            provider("http://127.0.0.1:" + minio.endpoint().getPort(), minio.caCertificatePem())))
        .isInstanceOf(SpecProblem.class)
        .hasMessageStartingWith("spec.minio.caBundle: needs an https endpoint");
  }

  @Test
  void theProviderPathTrustsTheBundle() {
    try (var backend = connect(provider(minio.endpoint().toString(), minio.caCertificatePem()))) {
      assertThat(backend.whoAmI().userName()).isEqualTo(minio.rootCredentials().accessKey());
    }
  }

  private static KeyBackend connect(ResolvedProvider provider) {
    return provider.connect();
  }

  private static ResolvedProvider provider(String endpoint, String caBundle) {
    ProviderSpec spec = new ProviderSpec();
    spec.minio = new MinioProvider();
    spec.minio.endpoint = endpoint;
    spec.minio.caBundle = caBundle;
    spec.minio.credentials = new MinioCredentials();
    spec.minio.credentials.secretRef = new SecretRef("unused");
    MinioServer.Credentials root = minio.rootCredentials();
    return new ResolvedProvider("AccessKeyProvider/tls/minio", new MinioKind(), spec,
        Map.of(CredentialEntries.ACCESS_KEY_ID, SecretValue.of(root.accessKey()),
            CredentialEntries.SECRET_ACCESS_KEY, root.secretKey()),
        "1", null);
  }
}
