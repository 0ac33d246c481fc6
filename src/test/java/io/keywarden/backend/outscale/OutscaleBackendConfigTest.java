package io.keywarden.backend.outscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.SecretValue;
import io.keywarden.backend.outscale.OutscaleBackendConfig.AccessKey;
import io.keywarden.backend.outscale.OutscaleBackendConfig.LoginPassword;
import java.net.URI;
import org.junit.jupiter.api.Test;

class OutscaleBackendConfigTest {

  private static final String SECRET = "config-test-secret-value";
  private static final AccessKey KEY = new AccessKey("ABCDEFGHIJ0123456789", SecretValue.of(SECRET));

  @Test
  void theRegionsPublicEndpointByDefault() {
    OutscaleBackendConfig c = OutscaleBackendConfig.of("eu-west-2", KEY);
    assertThat(c.endpoint()).isEqualTo(URI.create("https://api.eu-west-2.outscale.com/api/v1"));
    assertThat(c.actionUri("CreateAccessKey")).isEqualTo(URI.create("https://api.eu-west-2.outscale.com/api/v1/CreateAccessKey"));
    assertThat(OutscaleBackendConfig.of("cloudgouv-eu-west-1", KEY).endpoint().getHost())
        .isEqualTo("api.cloudgouv-eu-west-1.outscale.com");
  }

  @Test
  void anEndpointOverrideIsUsedAsIs() {
    OutscaleBackendConfig c = OutscaleBackendConfig.of("eu-west-2", KEY).withEndpoint(URI.create("http://127.0.0.1:8080/api/v1/"));
    assertThat(c.actionUri("ReadAccessKeys")).isEqualTo(URI.create("http://127.0.0.1:8080/api/v1/ReadAccessKeys"));
    assertThat(c.region()).isEqualTo("eu-west-2");
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> OutscaleBackendConfig.of("EU west", KEY)).hasMessageContaining("Region");
    assertThatThrownBy(() -> OutscaleBackendConfig.of("eu-west-2", null)).hasMessageContaining("credentials");
    assertThatThrownBy(() -> OutscaleBackendConfig.of("eu-west-2", KEY).withEndpoint(URI.create("ftp://x")))
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> OutscaleBackendConfig.of("eu-west-2", KEY).withEndpoint(URI.create("https://u:" + SECRET + "@h")))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET))
        .hasMessageContaining("must not carry user info");
    assertThatThrownBy(() -> OutscaleBackendConfig.of("eu-west-2", KEY).withEndpoint(URI.create("https://h/api?token=" + SECRET)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(SECRET));
    assertThatThrownBy(() -> new AccessKey(" ", SecretValue.of(SECRET))).hasMessageContaining("accessKeyId");
    assertThatThrownBy(() -> new LoginPassword("a:b@example.com", SecretValue.of(SECRET))).hasMessageContaining("':'");
  }

  @Test
  void neverPrintsASecret() {
    LoginPassword login = new LoginPassword("jane@example.com", SecretValue.of(SECRET));
    assertThat(OutscaleBackendConfig.of("eu-west-2", KEY).toString()).doesNotContain(SECRET).contains("ABCDEFGHIJ0123456789");
    assertThat(OutscaleBackendConfig.of("eu-west-2", login).toString()).doesNotContain(SECRET).contains("jane@example.com");
    assertThat(OutscaleOapiBackend.create(OutscaleBackendConfig.of("eu-west-2", login)).toString())
        .isEqualTo("OutscaleOapiBackend[eu-west-2, https://api.eu-west-2.outscale.com/api/v1, login jane@example.com]");
  }
}
