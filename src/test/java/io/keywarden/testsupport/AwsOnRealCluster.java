package io.keywarden.testsupport;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.backend.SecretValue;
import io.keywarden.reconciler.Conditions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Predicate;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The integration setting: a real kube-apiserver + etcd with keywarden's CRDs, a real moto with
 * authentication on, a namespace per test and an AccessKeyProvider whose credentials are moto's
 * admin.
 */
public final class AwsOnRealCluster {
  public final KubernetesClient client;
  public final MotoServer moto;
  public final String namespace;

  public AwsOnRealCluster(MotoServer moto) {
    this.client = LocalControlPlane.shared().client();
    this.moto = moto;
    this.namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
    Crds.apply(client);
    client.resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
    MotoServer.Credentials admin = moto.adminCredentials();
    moto.enableAuthentication();
    client.resource(Fixtures.credentialsSecret(namespace, "aws-admin", admin.accessKeyId(),
        admin.secretAccessKey().reveal())).create();
    client.resource(Fixtures.awsProvider(namespace, "aws", moto.endpoint().toString(), "aws-admin")).create();
  }

  public AccessKey get(String name) {
    return client.resources(AccessKey.class).inNamespace(namespace).withName(name).get();
  }

  public AccessKey awaitKey(String name, Predicate<AccessKey> condition) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> get(name), ak -> ak != null && ak.getStatus() != null && condition.test(ak));
  }

  public AccessKey awaitReady(String name) {
    return awaitKey(name, ak -> Conditions.isTrue(ak.getStatus().conditions, Conditions.READY));
  }

  public static String reason(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getReason()).orElse("");
  }

  public static String message(AccessKey ak) {
    return Conditions.find(ak.getStatus().conditions, Conditions.READY).map(c -> c.getMessage()).orElse("");
  }

  public Secret secret(String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /** The credentials a workload mounting the Secret with envFrom would see. */
  public static MotoServer.Credentials credentialsIn(Secret secret) {
    return new MotoServer.Credentials(value(secret, "AWS_ACCESS_KEY_ID"),
        SecretValue.of(value(secret, "AWS_SECRET_ACCESS_KEY")));
  }

  public static String value(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  /** Whether moto accepts a request signed with these credentials (STS GetCallerIdentity). */
  public boolean signs(MotoServer.Credentials credentials) {
    try (StsClient sts = StsClient.builder().region(Region.of(MotoServer.REGION)).endpointOverride(moto.endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            credentials.accessKeyId(), credentials.secretAccessKey().reveal()))).build()) {
      sts.getCallerIdentity();
      return true;
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      return false;
    }
  }

  public void deleteNamespace() {
    client.namespaces().withName(namespace).delete();
  }
}
