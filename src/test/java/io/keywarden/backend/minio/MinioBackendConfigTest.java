package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.SecretValue;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MinioBackendConfigTest {

  private static final SecretValue SECRET = SecretValue.of("provider-secret-never-printed");

  @Test
  void defaultsRegionAndConcurrencyAndNeverPrintsTheSecret() {
    MinioBackendConfig config = MinioBackendConfig.of(URI.create("https://minio.example:9000"), "admin", SECRET);

    assertThat(config.region()).isEqualTo("us-east-1");
    assertThat(config.maxConcurrentAdminCalls()).isEqualTo(4);
    assertThat(config.withRegion(null).region()).isEqualTo("us-east-1");
    assertThat(config.withMaxConcurrentAdminCalls(1).maxConcurrentAdminCalls()).isEqualTo(1);
    assertThat(config.toString()).contains("admin").doesNotContain(SECRET.reveal());
  }

  @ParameterizedTest
  @ValueSource(strings = {"minio.example:9000", "ftp://minio.example", "https://k:s@minio.example", "https://minio.example/bucket", "https://minio.example?x=1"})
  void refusesEndpointsMinioCannotServe(String endpoint) {
    assertThatThrownBy(() -> MinioBackendConfig.of(URI.create(endpoint), "admin", SECRET))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void refusesNoConcurrency() {
    MinioBackendConfig config = MinioBackendConfig.of(URI.create("http://127.0.0.1:9000/"), "admin", SECRET);
    assertThatThrownBy(() -> config.withMaxConcurrentAdminCalls(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCaBundleNeedsAnHttpsEndpointAndIsShownBySubjectOnly() throws Exception {
    CaBundle bundle = CaBundle.parse(pem(someCa()) + "\n" + pem(someCa()));
    MinioBackendConfig config = MinioBackendConfig.of(URI.create("https://minio.example:9000"), "admin", SECRET);

    assertThat(bundle.certificates()).hasSize(2);
    assertThat(config.withCaBundle(bundle).caBundle()).isSameAs(bundle);
    assertThat(config.withCaBundle(bundle).withRegion("eu").caBundle()).isSameAs(bundle);
    assertThat(config.withCaBundle(bundle).toString()).contains("caBundle=CaBundle[").doesNotContain("BEGIN");
    MinioBackendConfig plain = MinioBackendConfig.of(URI.create("http://minio.example:9000"), "admin", SECRET);
    assertThatThrownBy(() -> plain.withCaBundle(bundle))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "MIIBsecretish", "-----BEGIN CERTIFICATE-----\nMIIB!!secretish!!\n-----END CERTIFICATE-----\n"})
  void refusesBundlesWithoutAReadableCertificateAndQuotesNone(String pem) {
    assertThatThrownBy(() -> CaBundle.parse(pem))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secretish");
  }

  @Test
  void refusesABundleThatLosesACertificateSilently() throws Exception {
    // the JDK stops at the first block it cannot read and returns the ones before it
    String pem = pem(someCa()) + "\n-----BEGIN CERTIFICATE-----\nbroken\n";
    assertThatThrownBy(() -> CaBundle.parse(pem)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A CA certificate from the JDK's own trust store: any real certificate will do. */
  private static X509Certificate someCa() throws Exception {
    KeyStore cacerts = KeyStore.getInstance(KeyStore.getDefaultType());
    Path file = Path.of(System.getProperty("java.home"), "lib", "security", "cacerts");
    try (var in = Files.newInputStream(file)) {
      cacerts.load(in, null);
    }
    return (X509Certificate) cacerts.getCertificate(Collections.list(cacerts.aliases()).get(0));
  }

  private static String pem(X509Certificate certificate) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
