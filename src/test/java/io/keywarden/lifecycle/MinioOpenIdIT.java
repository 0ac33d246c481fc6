package io.keywarden.lifecycle;

import io.keywarden.backend.TokenSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.MinioCredentials;
import io.keywarden.api.v1alpha1.MinioOpenId;
import io.keywarden.api.v1alpha1.MinioProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.api.v1alpha1.ServiceAccountToken;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.minio.MinioBackendConfig;
import io.keywarden.backend.minio.MinioKeyBackend;
import io.keywarden.backend.minio.MinioSigningKey;
import io.keywarden.backend.minio.MinioWebIdentity;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.TestNamespaces;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * MinIO OpenID end to end with a real issuer: the local kube-apiserver serves its discovery
 * document and JWKS, MinIO trusts it as a named OpenID configuration with a role policy, and
 * keywarden signs in with TokenRequest tokens of a ServiceAccount ({@code create-with-login}
 * without a browser). Keys it creates belong to the OpenID identity and cannot exceed its rights;
 * {@code temporary: true} publishes STS credentials ({@code --sts-only}) and refreshes them.
 */
@Tag("it")
class MinioOpenIdIT {
  private static final String AUDIENCE = "minio-keywarden";
  private static final String CONFIG = "kubernetes";
  private static final String BUCKET = "shared";
  private static final String OTHER_BUCKET = "private";
  private static final String SERVICE_ACCOUNT = "storage-writer";
  /** What the OpenID identity may do: the role policy of MinIO's configuration. */
  private static final String ROLE_POLICY = "readwrite";

  static MinioServer minio;
  static MinioKeyBackend root;
  static String roleArn;
  KubernetesClient client;
  String ns;
  AdjustableClock clock;
  KeywardenOperator operator;

  @BeforeAll
  static void startMinioTrustingTheApiServer() {
    LocalControlPlane plane = LocalControlPlane.shared();
    URI discovery = plane.publishIssuerDiscovery();
    minio = MinioServer.start();
    minio.trustCa("kube-apiserver", plane.caCertificatePem());
    minio.restart(); // MinIO reads trusted CAs at start, and checks an OpenID configuration when it is added
    minio.mc().json("idp", "openid", "add", Mc.ALIAS, CONFIG,
        // MinIO requires a client secret for its browser login flow; the STS web identity exchange never uses it
        "config_url=" + discovery, "client_id=" + AUDIENCE, "client_secret=browser-login-unused",
        "role_policy=" + ROLE_POLICY);
    minio.restart(); // identity configuration applies at start
    roleArn = roleArnOf(CONFIG);
    minio.mc().json("mb", Mc.ALIAS + "/" + BUCKET);
    root = MinioKeyBackend.create(MinioBackendConfig.of(
        minio.endpoint(), minio.rootCredentials().accessKey(), minio.rootCredentials().secretKey()));
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
    ns = TestNamespaces.create(client, "openid");
    client.resource(new ServiceAccountBuilder().withNewMetadata().withName(SERVICE_ACCOUNT).withNamespace(ns)
        .endMetadata().build()).create();
    clock = new AdjustableClock();
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT, (step, ak) -> {}, clock);
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void theProviderSignsInAsTheServiceAccountAndItsKeysBelongToThatIdentity() {
    client.resource(openIdProvider("oidc", SERVICE_ACCOUNT, AUDIENCE, roleArn)).create();
    AccessKey accessKey = accessKey("app");
    accessKey.getSpec().name = "app";
    accessKey.getSpec().description = "made through OpenID";
    accessKey.getSpec().expiryDuration = "24h";
    client.resource(accessKey).create();

    AccessKey ready = awaitReady("app");
    String id = ready.getStatus().accessKeyId;
    JsonNode info = minio.mc().json("admin", "accesskey", "info", Mc.ALIAS, id);
    String identity = info.path("parentUser").asText();
    assertThat(identity).as("the key belongs to the OpenID identity, not to the root user")
        .isNotEmpty().isNotEqualTo(minio.rootCredentials().accessKey());
    assertThat(ready.getStatus().user).isEqualTo(identity);
    assertThat(info.path("name").asText()).isEqualTo("app");
    assertThat(info.path("description").asText()).isEqualTo("made through OpenID");
    assertThat(Instant.parse(info.path("expiration").asText()))
        .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));

    Mc asKey = signedWith(secret("app"));
    assertThat(asKey.run("cp", minio.writeFile("object.txt", "written").toString(), Mc.ALIAS + "/" + BUCKET + "/app.txt").ok())
        .as("the key may write objects, as the role policy " + ROLE_POLICY + " allows").isTrue();
    assertThat(asKey.run("admin", "user", "list", Mc.ALIAS).ok())
        .as("the key cannot exceed the OpenID identity: no admin rights").isFalse();

    client.resources(AccessKey.class).inNamespace(ns).withName("app").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> !minio.mc().run("admin", "accesskey", "info", Mc.ALIAS, id).ok());
  }

  @Test
  void aKeyPolicyRestrictsTheKeyBelowTheIdentity() {
    minio.mc().json("mb", "--ignore-existing", Mc.ALIAS + "/" + OTHER_BUCKET);
    client.resource(openIdProvider("oidc", SERVICE_ACCOUNT, AUDIENCE, roleArn)).create();
    AccessKey accessKey = accessKey("narrow");
    accessKey.getSpec().policy = readOnly(BUCKET);
    client.resource(accessKey).create();

    awaitReady("narrow");
    Mc asKey = signedWith(secret("narrow"));
    assertThat(asKey.run("ls", Mc.ALIAS + "/" + BUCKET).ok()).isTrue();
    assertThat(asKey.run("ls", Mc.ALIAS + "/" + OTHER_BUCKET).ok()).as("outside the key's policy").isFalse();
  }

  @Test
  void temporaryCredentialsArePublishedWithTheirSessionTokenAndRefreshedBeforeTheyExpire() {
    client.resource(openIdProvider("oidc", SERVICE_ACCOUNT, AUDIENCE, roleArn)).create();
    AccessKey accessKey = accessKey("sts");
    accessKey.getSpec().temporary = true;
    accessKey.getSpec().expiryDuration = "30m";
    accessKey.getSpec().renewBefore = "10m";
    client.resource(accessKey).create();

    AccessKey ready = awaitReady("sts");
    Secret secret = secret("sts");
    assertThat(secret.getData()).containsOnlyKeys(
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL");
    assertThat(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(ready.getStatus().accessKeyId);
    Instant expiresAt = Instant.parse(ready.getStatus().expiresAt);
    assertThat(expiresAt).as("MinIO granted the asked lifetime")
        .isBetween(Instant.now().plus(Duration.ofMinutes(28)), Instant.now().plus(Duration.ofMinutes(31)));
    assertThat(Instant.parse(ready.getStatus().renewalTime)).isEqualTo(expiresAt.minus(Duration.ofMinutes(10)));
    assertThat(signedWith(secret).run("ls", Mc.ALIAS + "/" + BUCKET).ok()).as("the STS credentials work").isTrue();
    assertThat(root.list(ready.getStatus().user)).as("no permanent access key was created").isEmpty();

    clock.advance(Duration.ofMinutes(21)); // the operator is now past the renewal time; its next look refreshes
    AccessKey refreshed = awaitKey("sts", ak -> ak.getStatus().revision != null && ak.getStatus().revision == 2);
    assertThat(refreshed.getStatus().accessKeyId).isNotEqualTo(ready.getStatus().accessKeyId);
    Secret renewed = secret("sts");
    assertThat(AwsOnRealCluster.value(renewed, "AWS_ACCESS_KEY_ID")).isEqualTo(refreshed.getStatus().accessKeyId);
    assertThat(signedWith(renewed).run("ls", Mc.ALIAS + "/" + BUCKET).ok()).isTrue();
    assertThat(signedWith(secret).run("ls", Mc.ALIAS + "/" + BUCKET).ok())
        .as("the replaced credentials stay valid until their own expiry: the grace period").isTrue();
  }

  @Test
  void theSignInIsRenewedAfterTwoThirdsOfItsLifetimeWithAFreshToken() {
    AdjustableClock later = new AdjustableClock();
    AtomicInteger tokens = new AtomicInteger();
    TokenSource source = () -> {
      tokens.incrementAndGet();
      return SecretValue.of(client.serviceAccounts().inNamespace(ns).withName(SERVICE_ACCOUNT)
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withAudiences(AUDIENCE).endSpec().build())
          .getStatus().getToken());
    };
    try (MinioWebIdentity identity = MinioWebIdentity.create(minio.endpoint(), null, roleArn, null, source, later)) {
      MinioSigningKey first = identity.signingKey();
      assertThat(first.sessionToken()).isNotNull();
      assertThat(identity.signingKey()).as("reused while young").isEqualTo(first);
      later.advance(Duration.ofMinutes(39)); // MinIO's default session: one hour
      assertThat(identity.signingKey()).isEqualTo(first);
      later.advance(Duration.ofMinutes(2));
      MinioSigningKey renewed = identity.signingKey();
      assertThat(renewed.accessKey()).isNotEqualTo(first.accessKey());
      assertThat(tokens).as("one ServiceAccount token per exchange").hasValue(2);
      assertThat(minio.mc().as(renewed.accessKey(), renewed.secretKey(), renewed.sessionToken())
          .run("ls", Mc.ALIAS + "/" + BUCKET).ok()).isTrue();
    }
  }

  @Test
  void signInProblemsAreConditionsNamingTheCause() {
    client.resource(openIdProvider("no-sa", "missing", AUDIENCE, roleArn)).create();
    client.resource(openIdProvider("wrong-audience", SERVICE_ACCOUNT, "someone-else", roleArn)).create();
    client.resource(accessKey("a", "no-sa")).create();
    client.resource(accessKey("b", "wrong-audience")).create();

    assertThat(readyMessage(awaitFailed("a"))).contains("spec.minio.openid.serviceAccountToken.serviceAccountName")
        .contains(ns + "/missing");
    String refused = readyMessage(awaitFailed("b"));
    assertThat(refused).contains("AssumeRoleWithWebIdentity").contains("must match configured OpenID Client ID");
    assertThat(reason("b")).isEqualTo("AuthenticationFailed");
  }

  @Test
  void temporaryNeedsAnOpenIdProviderAndALifetimeWithinMinioLimits() {
    client.resource(openIdProvider("oidc", SERVICE_ACCOUNT, AUDIENCE, roleArn)).create();
    AccessKeyProvider stored = Fixtures.minioProvider(ns, "stored", minio.endpoint().toString(), "stored");
    client.resource(Fixtures.credentialsSecret(ns, "stored", "unused", "unused-secret")).create();
    client.resource(stored).create();

    AccessKey short_ = accessKey("short");
    short_.getSpec().temporary = true;
    short_.getSpec().expiryDuration = "5m";
    client.resource(short_).create();
    AccessKey notOpenId = accessKey("not-openid", "stored");
    notOpenId.getSpec().temporary = true;
    client.resource(notOpenId).create();

    assertThat(readyMessage(awaitFailed("short"))).startsWith("spec.expiryDuration").contains("15m");
    assertThat(readyMessage(awaitFailed("not-openid"))).startsWith("spec.temporary").contains("spec.minio.openid");
  }

  @Test
  void admissionRejectsContradictoryOpenIdAndTemporaryFields() {
    AccessKeyProvider both = openIdProvider("both", SERVICE_ACCOUNT, AUDIENCE, roleArn);
    both.getSpec().minio.credentials = new MinioCredentials();
    both.getSpec().minio.credentials.secretRef = new SecretRef("x");
    assertThatThrownBy(() -> client.resource(both).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("set exactly one of credentials and openid");

    AccessKey named = accessKey("named");
    named.getSpec().temporary = true;
    named.getSpec().name = "x";
    assertThatThrownBy(() -> client.resource(named).create())
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.temporary");

    client.resource(accessKey("flip")).create();
    assertThatThrownBy(() -> Edits.patch(client, ns, "flip", "{\"spec\":{\"temporary\":true}}"))
        .isInstanceOf(KubernetesClientException.class).hasMessageContaining("spec.temporary is immutable");
  }

  // --- helpers ---------------------------------------------------------------------------------

  private AccessKeyProvider openIdProvider(String name, String serviceAccount, String audience, String arn) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.getMetadata().setName(name);
    provider.getMetadata().setNamespace(ns);
    provider.setSpec(new ProviderSpec());
    provider.getSpec().minio = new MinioProvider();
    provider.getSpec().minio.endpoint = minio.endpoint().toString();
    provider.getSpec().minio.openid = new MinioOpenId();
    provider.getSpec().minio.openid.roleArn = arn;
    provider.getSpec().minio.openid.serviceAccountToken = new ServiceAccountToken();
    provider.getSpec().minio.openid.serviceAccountToken.serviceAccountName = serviceAccount;
    provider.getSpec().minio.openid.serviceAccountToken.audience = audience;
    return provider;
  }

  private AccessKey accessKey(String name) {
    return accessKey(name, "oidc");
  }

  /** No user: the key is the signed-in identity's own, as with create-with-login. */
  private AccessKey accessKey(String name, String provider) {
    return Fixtures.accessKey(ns, name, provider, null);
  }

  private static String readOnly(String bucket) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:ListBucket\",\"s3:GetObject\"],"
        + "\"Resource\":[\"arn:aws:s3:::" + bucket + "\",\"arn:aws:s3:::" + bucket + "/*\"]}]}";
  }

  /** The role ARN MinIO derived for the configuration, as {@code mc idp openid ls} shows it (an array of configurations). */
  private static String roleArnOf(String config) {
    JsonNode configurations = minio.mc().json("idp", "openid", "ls", Mc.ALIAS);
    for (JsonNode item : configurations) {
      if (config.equals(item.path("name").asText())) {
        return item.path("roleARN").asText();
      }
    }
    throw new IllegalStateException("mc idp openid ls shows no configuration " + config + ": " + configurations);
  }

  private static Mc signedWith(Secret secret) {
    String token = secret.getData().containsKey("AWS_SESSION_TOKEN") ? AwsOnRealCluster.value(secret, "AWS_SESSION_TOKEN") : null;
    SecretValue secretKey = SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY"));
    String accessKey = AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID");
    return token == null ? minio.mc().as(accessKey, secretKey) : minio.mc().as(accessKey, secretKey, SecretValue.of(token));
  }

  private Secret secret(String name) {
    return client.secrets().inNamespace(ns).withName(name).get();
  }

  private AccessKey awaitReady(String name) {
    return awaitKey(name, ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .map(c -> "True".equals(c.getStatus())).orElse(false));
  }

  private AccessKey awaitFailed(String name) {
    return awaitKey(name, ak -> Conditions.find(ak.getStatus().conditions, Conditions.READY)
        .map(c -> "False".equals(c.getStatus())).orElse(false));
  }

  private AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }

  private String readyMessage(AccessKey accessKey) {
    return Conditions.find(accessKey.getStatus().conditions, Conditions.READY).orElseThrow().getMessage();
  }

  private String reason(String name) {
    AccessKey accessKey = client.resources(AccessKey.class).inNamespace(ns).withName(name).get();
    return Conditions.find(accessKey.getStatus().conditions, Conditions.READY).orElseThrow().getReason();
  }
}
