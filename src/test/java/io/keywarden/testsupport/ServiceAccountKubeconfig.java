package io.keywarden.testsupport;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A kubeconfig holding a TokenRequest token of a ServiceAccount, for an operator process that
 * signs in as its pod would: under that account's RBAC, not as cluster-admin.
 */
public final class ServiceAccountKubeconfig {
  private ServiceAccountKubeconfig() {}

  public static Path write(KubernetesClient admin, String namespace, String name, Duration validity, Path file)
      throws IOException {
    String token = admin.serviceAccounts().inNamespace(namespace).withName(name)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(validity.toSeconds()).endSpec().build())
        .getStatus().getToken();
    Config config = admin.getConfiguration();
    String ca = config.getCaCertData() != null ? config.getCaCertData()
        : Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(config.getCaCertFile())));
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: local, cluster: {server: "%s", certificate-authority-data: "%s"}}]
        users: [{name: operator, user: {token: "%s"}}]
        contexts: [{name: operator, context: {cluster: local, user: operator, namespace: "%s"}}]
        current-context: operator
        """.formatted(config.getMasterUrl(), ca, token, namespace);
    return Files.writeString(file, kubeconfig);
  }
}
