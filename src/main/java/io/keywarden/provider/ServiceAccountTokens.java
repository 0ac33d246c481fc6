package io.keywarden.provider;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.TokenSource;
import java.util.List;

/**
 * Tokens of one ServiceAccount for one audience, from the TokenRequest API: what a pod's projected
 * token volume holds, requested by keywarden itself so no token is ever stored.
 */
record ServiceAccountTokens(KubernetesClient client, String namespace, String name, String audience, long expirationSeconds)
    implements TokenSource {

  @Override
  public SecretValue token() {
    TokenRequest request = new TokenRequestBuilder()
        .withNewSpec().withAudiences(List.of(audience)).withExpirationSeconds(expirationSeconds).endSpec()
        .build();
    try {
      TokenRequest answer = client.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
      return SecretValue.of(answer.getStatus().getToken());
    } catch (KubernetesClientException e) {
      Reason reason = e.getCode() == 0 ? Reason.UNAVAILABLE : Reason.forHttpStatus(e.getCode());
      String hint = e.getCode() == 403 ? " (keywarden's ServiceAccount needs create on serviceaccounts/token)" : "";
      throw new BackendException(reason,
          "TokenRequest for ServiceAccount " + namespace + "/" + name + " failed with HTTP " + e.getCode() + hint);
    }
  }

  @Override
  public String toString() {
    return "tokens of ServiceAccount " + namespace + "/" + name + " for audience " + audience;
  }
}
