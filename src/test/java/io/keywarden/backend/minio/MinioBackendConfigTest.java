package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.SecretValue;
import java.net.URI;
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
}
