package io.keywarden.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.KeywardenOperator;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.api.v1alpha1.OutscaleCredentials;
import io.keywarden.api.v1alpha1.OutscaleProvider;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.api.v1alpha1.Rotation;
import io.keywarden.api.v1alpha1.SecretRef;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.outscale.OutscaleBackendConfig;
import io.keywarden.backend.outscale.OutscaleOapiBackend;
import io.keywarden.provider.BackendFactory;
import io.keywarden.reconciler.Conditions;
import io.keywarden.reconciler.LifecycleStep;
import io.keywarden.testsupport.AdjustableClock;
import io.keywarden.testsupport.Crash;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.testsupport.Crds;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.Fixtures;
import io.keywarden.testsupport.KeywardenTestOperator;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.outscale.OapiStandIn;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Outscale OAPI through the operator: a real API server, the spec-validating OAPI stand-in.
 * Account keys and EIM-user keys, native expiry kept on every update, INACTIVE before delete,
 * login/password providers, and crash recovery that finds the interrupted create by its tag.
 */
@Tag("it")
class OutscaleLifecycleIT {
  static OapiStandIn outscale;
  KubernetesClient client;
  String ns;
  KeywardenOperator operator;

  @BeforeAll
  static void startStandIn() {
    outscale = OapiStandIn.start();
  }

  @AfterAll
  static void stopStandIn() {
    assertThat(outscale.specViolations()).as("every request and response matched the OpenAPI spec").isEmpty();
    outscale.close();
  }

  @BeforeEach
  void setUp() {
    client = LocalControlPlane.shared().client();
    Crds.apply(client);
    ns = "osc-" + UUID.randomUUID().toString().substring(0, 8);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    OapiStandIn.Credentials root = outscale.rootCredentials();
    client.resource(secret("osc-keys", Map.of("OSC_ACCESS_KEY", root.accessKeyId(), "OSC_SECRET_KEY", root.secretKey().reveal()))).create();
    client.resource(secret("osc-login", Map.of("OSC_LOGIN", OapiStandIn.LOGIN, "OSC_PASSWORD", outscale.password().reveal()))).create();
    client.resource(provider("osc", "osc-keys", false)).create();
    client.resource(provider("osc-password", "osc-login", true)).create();
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void eimUserKeyWithNativeExpiryKeptAcrossUpdates() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    String user = "User-" + UUID.randomUUID().toString().substring(0, 6);
    outscale.createUser(user);
    AccessKey accessKey = Fixtures.accessKey(ns, "eim", "osc", user);
    Instant expiry = Instant.now().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
    accessKey.getSpec().expiry = expiry.toString();
    client.resource(accessKey).create();

    AccessKey ready = awaitReady("eim");
    OapiStandIn.Key key = only(user);
    assertThat(key.id()).isEqualTo(ready.getStatus().accessKeyId);
    assertThat(key.expiration()).isEqualTo(expiry);
    Secret secret = client.secrets().inNamespace(ns).withName("eim").get();
    assertThat(secret.getData()).containsKeys("OSC_ACCESS_KEY", "OSC_SECRET_KEY", "OSC_REGION", "AWS_ACCESS_KEY_ID");
    assertThat(works(secret)).isTrue();

    Edits.patch(client, ns, "eim", "{\"spec\":{\"state\":\"Inactive\"}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> only(user).state().equals("INACTIVE"));
    assertThat(only(user).expiration()).as("UpdateAccessKey resent the expiry").isEqualTo(expiry);

    Instant later = expiry.plus(Duration.ofDays(10));
    Edits.patch(client, ns, "eim", "{\"spec\":{\"expiry\":\"" + later + "\"}}");
    await().atMost(Duration.ofSeconds(30)).until(() -> later.equals(only(user).expiration()));
    assertThat(only(user).id()).as("a changed expiry is applied in place, not by rotation").isEqualTo(key.id());
    assertThat(only(user).state()).isEqualTo("INACTIVE");

    client.resources(AccessKey.class).inNamespace(ns).withName("eim").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> outscale.keysOf(user).isEmpty());
  }

  @Test
  void accountKeysRotateWithALoginPasswordProvider() {
    AdjustableClock clock = new AdjustableClock(); // the grace period passes when the test moves it
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT, (step, ak) -> {}, clock);
    int before = outscale.keysOf(null).size();
    AccessKey accessKey = Fixtures.accessKey(ns, "account", "osc-password", null);
    accessKey.getSpec().expiryDuration = "30d";
    accessKey.getSpec().rotation = new Rotation();
    accessKey.getSpec().rotation.gracePeriod = "10m";
    client.resource(accessKey).create();
    String first = awaitReady("account").getStatus().accessKeyId;
    assertThat(outscale.keysOf(null)).hasSize(before + 1);

    Edits.rotate(client, ns, "account", "1");
    awaitKey("account", ak -> first.equals(ak.getStatus().previousAccessKeyId));
    clock.advance(Duration.ofMinutes(11));
    AccessKey rotated = awaitKey("account", ak -> ak.getStatus().revision == 2 && ak.getStatus().previousAccessKeyId == null);
    assertThat(rotated.getStatus().accessKeyId).isNotEqualTo(first);
    assertThat(outscale.keysOf(null)).extracting(OapiStandIn.Key::id)
        .contains(rotated.getStatus().accessKeyId).doesNotContain(first).hasSize(before + 1);
    assertThat(works(client.secrets().inNamespace(ns).withName("account").get())).isTrue();
  }

  @Test
  void recoveryFindsTheInterruptedCreateByItsTag() throws Exception {
    String user = "Crash-" + UUID.randomUUID().toString().substring(0, 6);
    outscale.createUser(user);
    outscale.createKey(user); // a key made outside keywarden, which recovery must leave alone
    String outsider = only(user).id();
    Crash crash = Crash.at(LifecycleStep.KEY_CREATED);
    KubernetesClient doomedClient = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
        .withConfig(client.getConfiguration()).build();
    KeywardenOperator doomed = KeywardenTestOperator.start(doomedClient, ns, BackendFactory.CONNECT, crash);
    client.resource(Fixtures.accessKey(ns, "tagged", "osc", user)).create();
    assertThat(crash.awaitReached(60)).isTrue();
    doomedClient.close();
    crash.release();
    doomed.close();
    assertThat(outscale.keysOf(user)).hasSize(2); // the outsider and the unpublished key

    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    AccessKey ready = awaitKey("tagged", ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)
        && ak.getStatus().pendingCreate == null);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(outscale.keysOf(user))
        .extracting(OapiStandIn.Key::id).containsExactlyInAnyOrder(outsider, ready.getStatus().accessKeyId));
  }

  @Test
  void providersAreReadyFromACallThatChangesNothing() {
    operator = KeywardenTestOperator.start(client, ns, BackendFactory.CONNECT);
    int keys = outscale.keysOf(null).size();
    for (String name : List.of("osc", "osc-password")) {
      AccessKeyProvider ready = await().atMost(Duration.ofSeconds(30)).until(() ->
          client.resources(AccessKeyProvider.class).inNamespace(ns).withName(name).get(),
          p -> p.getStatus() != null && Conditions.isTrue(p.getStatus().conditions, Conditions.READY));
      assertThat(ready.getStatus().identity).startsWith("outscale ");
    }
    client.resource(secret("osc-wrong", Map.of("OSC_ACCESS_KEY", "AKWRONGWRONGWRONG123", "OSC_SECRET_KEY", "wrong"))).create();
    client.resource(provider("osc-wrong", "osc-wrong", false)).create();
    AccessKeyProvider refused = await().atMost(Duration.ofSeconds(30)).until(() ->
        client.resources(AccessKeyProvider.class).inNamespace(ns).withName("osc-wrong").get(),
        p -> p.getStatus() != null && !p.getStatus().conditions.isEmpty());
    assertThat(Conditions.find(refused.getStatus().conditions, Conditions.READY).orElseThrow().getReason())
        .isEqualTo("AuthenticationFailed");
    assertThat(outscale.keysOf(null)).as("the checks created nothing").hasSize(keys);
  }

  private OapiStandIn.Key only(String owner) {
    List<OapiStandIn.Key> keys = outscale.keysOf(owner);
    assertThat(keys).hasSize(1);
    return keys.get(0);
  }

  /** Whether a request signed with the Secret's OSC key is accepted (ReadAccessKeys). */
  private boolean works(Secret secret) {
    OutscaleBackendConfig config = OutscaleBackendConfig.of(OapiStandIn.REGION, new OutscaleBackendConfig.AccessKey(
        AwsOnRealCluster.value(secret, "OSC_ACCESS_KEY"), SecretValue.of(AwsOnRealCluster.value(secret, "OSC_SECRET_KEY"))))
        .withEndpoint(outscale.endpoint());
    try {
      OutscaleOapiBackend.create(config).whoAmI();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private AccessKeyProvider provider(String name, String secret, boolean login) {
    AccessKeyProvider provider = new AccessKeyProvider();
    provider.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).build());
    provider.setSpec(new ProviderSpec());
    provider.getSpec().outscale = new OutscaleProvider();
    provider.getSpec().outscale.region = OapiStandIn.REGION;
    provider.getSpec().outscale.endpoint = outscale.endpoint().toString();
    provider.getSpec().outscale.credentials = new OutscaleCredentials();
    if (login) {
      provider.getSpec().outscale.credentials.loginSecretRef = new SecretRef(secret);
    } else {
      provider.getSpec().outscale.credentials.secretRef = new SecretRef(secret);
    }
    return provider;
  }

  private Secret secret(String name, Map<String, String> values) {
    return new SecretBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withStringData(values).build();
  }

  private AccessKey awaitReady(String name) {
    return awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  private AccessKey awaitKey(String name, java.util.function.Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> client.resources(AccessKey.class).inNamespace(ns).withName(name).get(),
            ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }
}
