package io.keywarden.backend.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.aws.AwsBackendConfig.IdentityApi;
import java.net.URI;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsBackendConfigTest {

  private static final String SECRET = "config-test-secret-value";
  private static final StaticCredentialsProvider CREDS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIACONFIGTEST", SECRET));

  @Test
  void awsDefaultsUseSdkEndpointsAndSts() {
    AwsBackendConfig c = AwsBackendConfig.of("eu-west-1", CREDS);
    assertThat(c.iamEndpoint()).isNull();
    assertThat(c.stsEndpoint()).isNull();
    assertThat(c.identityApi()).isEqualTo(IdentityApi.STS);
  }

  @Test
  void oneEndpointServesBoth() {
    URI moto = URI.create("http://127.0.0.1:5000");
    AwsBackendConfig c = AwsBackendConfig.of("us-east-1", CREDS).withEndpoint(moto);
    assertThat(c.iamEndpoint()).isEqualTo(moto);
    assertThat(c.stsEndpoint()).isEqualTo(moto);
  }

  @Test
  void outscaleEimShape() {
    URI eim = URI.create("https://eim.eu-west-2.outscale.com");
    AwsBackendConfig c =
        AwsBackendConfig.of("eu-west-2", CREDS).withIamEndpoint(eim).withIdentityApi(IdentityApi.IAM);
    assertThat(c.iamEndpoint()).isEqualTo(eim);
    assertThat(c.stsEndpoint()).isNull();
    assertThat(c.identityApi()).isEqualTo(IdentityApi.IAM);
  }

  @Test
  void rejectsBadInput() {
    assertThatThrownBy(() -> AwsBackendConfig.of(" ", CREDS)).hasMessageContaining("region");
    assertThatThrownBy(() -> AwsBackendConfig.of("eu-west-1", null)).hasMessageContaining("credentialsProvider");
    assertThatThrownBy(() -> AwsBackendConfig.of("eu-west-1", CREDS).withEndpoint(URI.create("ftp://x")))
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> AwsBackendConfig.of("eu-west-1", CREDS).withEndpoint(URI.create("/relative")))
        .hasMessageContaining("absolute http(s) URL");
    assertThatThrownBy(() -> AwsBackendConfig.of("eu-west-1", CREDS).withEndpoint(URI.create("https://u:" + SECRET + "@h")))
        .satisfies(e -> assertThat(e.getMessage().contains(SECRET)).as("message leaks the URI's password").isFalse())
        .hasMessageContaining("must not carry user info");
  }

  @Test
  void toStringNeverShowsCredentials() {
    String s = AwsBackendConfig.of("eu-west-1", CREDS).toString();
    assertThat(s.contains(SECRET)).as("toString leaks the secret").isFalse();
    assertThat(s).contains("StaticCredentialsProvider").contains("eu-west-1");
  }
}
