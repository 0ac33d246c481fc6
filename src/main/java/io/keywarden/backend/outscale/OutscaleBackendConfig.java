package io.keywarden.backend.outscale;

import io.keywarden.backend.SecretValue;
import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link OutscaleOapiBackend} reaches the OUTSCALE API (OAPI) and who it is there.
 *
 * @param region the Region, e.g. {@code eu-west-2}; also the signature's region
 * @param endpoint the API's base URL; {@code https://api.<region>.outscale.com/api/v1} when not
 *     overridden (the spec's server URL). Actions are POSTed to {@code <endpoint>/<Action>}.
 * @param credentials an access key of the account or of an EIM user, or the account's login and
 *     password (the reference CLI's {@code --authentication-method password})
 */
public record OutscaleBackendConfig(String region, URI endpoint, Credentials credentials) {

  private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /** The provider credentials; neither kind prints its secret. */
  public sealed interface Credentials permits AccessKey, LoginPassword {
    /** What the credentials are known as in messages and logs: the access key id or the login. */
    String identity();
  }

  /** Requests are signed with this access key (SigV4, see docs/outscale-client.md). */
  public record AccessKey(String accessKeyId, SecretValue secretKey) implements Credentials {
    public AccessKey {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must be set");
      }
      Objects.requireNonNull(secretKey, "secretKey");
    }

    @Override
    public String identity() {
      return "access key " + accessKeyId;
    }
  }

  /**
   * Requests carry {@code Authorization: Basic} with the account's login (email) and password. The
   * API accepts it only for some actions; the access-key actions are among them.
   */
  public record LoginPassword(String login, SecretValue password) implements Credentials {
    public LoginPassword {
      if (login == null || login.isBlank() || login.contains(":")) {
        throw new IllegalArgumentException("login must be set and must not contain ':'");
      }
      Objects.requireNonNull(password, "password");
    }

    @Override
    public String identity() {
      return "login " + login;
    }
  }

  public OutscaleBackendConfig {
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("region must be an Outscale Region name such as eu-west-2, got " + region);
    }
    Objects.requireNonNull(credentials, "credentials");
    endpoint = endpoint == null ? URI.create("https://api." + region + ".outscale.com/api/v1") : checked(endpoint);
  }

  /** The Region's public endpoint. */
  public static OutscaleBackendConfig of(String region, Credentials credentials) {
    return new OutscaleBackendConfig(region, null, credentials);
  }

  public OutscaleBackendConfig withEndpoint(URI endpoint) {
    return new OutscaleBackendConfig(region, endpoint, credentials);
  }

  /** The URL of one action: {@code <endpoint>/<action>}. */
  URI actionUri(String action) {
    String base = endpoint.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + action);
  }

  private static URI checked(URI endpoint) {
    if (endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("endpoint must not carry user info (credentials come from the provider)");
    }
    String scheme = endpoint.getScheme();
    if (!("https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme)) || endpoint.getHost() == null) {
      throw new IllegalArgumentException("endpoint must be an absolute http(s) URL, got " + endpoint);
    }
    if (endpoint.getRawQuery() != null || endpoint.getRawFragment() != null) {
      // not printed: a query may hold a token
      throw new IllegalArgumentException("endpoint must not have a query or fragment");
    }
    return endpoint;
  }
}
