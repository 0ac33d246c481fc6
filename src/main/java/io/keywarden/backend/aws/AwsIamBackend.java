package io.keywarden.backend.aws;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.Users;
import io.keywarden.backend.aws.AwsBackendConfig.IdentityApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpService;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.IamClientBuilder;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * {@link KeyBackend} for AWS IAM access keys, and for IAM-compatible APIs (Outscale EIM) through
 * {@link AwsBackendConfig}.
 *
 * <table>
 *   <caption>calls</caption>
 *   <tr><th>KeyBackend</th><th>AWS call</th></tr>
 *   <tr><td>whoAmI</td><td>STS GetCallerIdentity (or IAM GetUser, see {@link IdentityApi})</td></tr>
 *   <tr><td>create</td><td>IAM CreateAccessKey; {@code UserName} omitted for the caller's own keys</td></tr>
 *   <tr><td>list</td><td>IAM ListAccessKeys, every page</td></tr>
 *   <tr><td>setStatus</td><td>IAM UpdateAccessKey</td></tr>
 *   <tr><td>delete</td><td>IAM DeleteAccessKey; NoSuchEntity counts as deleted</td></tr>
 *   <tr><td>verify</td><td>GetCallerIdentity signed with the new key</td></tr>
 * </table>
 *
 * <p><b>Retries.</b> The SDK's own retry rules are replaced. Idempotent calls (list, update,
 * delete, identity) are tried at most {@value #MAX_ATTEMPTS} times, and only on throttling, 5xx
 * and connection failures, with a short backoff; everything else, authentication errors above
 * all (accounts can lock), fails at once. {@code CreateAccessKey} is never repeated by the SDK: a
 * repeat after a lost answer would make a second key behind the create fence's back; the
 * reconciler's fence recovery and backoff handle that case instead. {@link #verify} is retried
 * like the idempotent calls, never on the authentication failures that mean "not usable yet": the
 * reconciler polls it.
 *
 * <p><b>Deleting.</b> NoSuchEntity from DeleteAccessKey counts as success both when the key is
 * gone and when the user is gone: IAM refuses to delete a user that still holds keys, so a missing
 * user holds none, and a user re-created under the same name never gets an old key id back.
 *
 * <p><b>What AWS cannot do.</b> Access keys have no description, tag or expiry in IAM, so
 * {@link CreateKeyRequest#description()}, {@code nonce} and {@code expiresAt} are not sent; keys
 * are listed without them, and keywarden enforces expiry itself (this backend is no {@link io.keywarden.backend.NativeExpiry}).
 *
 * <p>The secret key exists only inside the returned {@link IssuedKey}'s {@link SecretValue}; it is
 * never logged and never part of a message.
 */
public final class AwsIamBackend implements KeyBackend {

  private static final Logger LOG = LoggerFactory.getLogger(AwsIamBackend.class);

  static final int MAX_ATTEMPTS = 3;
  static final Duration API_CALL_ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(30);

  private final AwsBackendConfig config;
  private final SdkHttpClient http;
  private final IamClient iam;
  private final IamClient iamOnce;
  private final StsClient sts;

  private AwsIamBackend(AwsBackendConfig config) {
    this.config = config;
    this.http = newHttpClient();
    try {
      this.iam = iamClient(config, http, retrying());
      this.iamOnce = iamClient(config, http, DefaultRetryStrategy.doNotRetry());
      this.sts = config.identityApi() == IdentityApi.STS ? stsClient(config, http, retrying()) : null;
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /**
   * A backend for one account or endpoint and one set of provider credentials. Makes no call: use
   * {@link #whoAmI()} to check the credentials.
   *
   * @throws IllegalArgumentException for a region or endpoint the SDK cannot use
   */
  public static AwsIamBackend create(AwsBackendConfig config) {
    return new AwsIamBackend(config);
  }

  public AwsBackendConfig config() {
    return config;
  }

  @Override
  public Identity whoAmI() {
    String arn =
        config.identityApi() == IdentityApi.STS
            ? call("sts:GetCallerIdentity", () -> sts.getCallerIdentity(r -> {}).arn())
            : call("iam:GetUser", () -> iam.getUser(r -> {}).user().arn());
    IamPrincipal principal = IamPrincipal.parse(arn);
    boolean ownsKeys = principal.kind() == IamPrincipal.Kind.USER || principal.kind() == IamPrincipal.Kind.ROOT;
    return new Identity(arn, principal.userName(), ownsKeys);
  }

  @Override
  public IssuedKey create(CreateKeyRequest request) {
    String user = checkedUser(request.user(), "iam:CreateAccessKey");
    String operation = "iam:CreateAccessKey " + forUser(user);
    AccessKey key = call(operation, () -> iamOnce.createAccessKey(r -> r.userName(user)).accessKey());
    if (key == null || key.accessKeyId() == null || key.secretAccessKey() == null) {
      // The key may exist without us knowing its id; the fence's recovery will find it.
      throw new BackendException(Reason.UNAVAILABLE, operation + " returned no access key");
    }
    LOG.info("Created access key {} {}", key.accessKeyId(), forUser(user));
    return new IssuedKey(
        key.accessKeyId(),
        SecretValue.of(key.secretAccessKey()),
        null,
        userOr(key.userName(), user),
        key.createDate());
  }

  @Override
  public List<KeyInfo> list(String user) {
    String checked = checkedUser(user, "iam:ListAccessKeys");
    return call(
        "iam:ListAccessKeys " + forUser(checked),
        () -> {
          List<KeyInfo> keys = new ArrayList<>();
          for (AccessKeyMetadata k : iam.listAccessKeysPaginator(r -> r.userName(checked)).accessKeyMetadata()) {
            keys.add(new KeyInfo(k.accessKeyId(), userOr(k.userName(), checked), status(k.status()), k.createDate(), null, null));
          }
          return keys;
        });
  }

  @Override
  public void setStatus(String user, String accessKeyId, KeyStatus status) {
    String checked = checkedUser(user, "iam:UpdateAccessKey");
    StatusType target = status == KeyStatus.ACTIVE ? StatusType.ACTIVE : StatusType.INACTIVE;
    call(
        "iam:UpdateAccessKey " + accessKeyId + " " + forUser(checked) + " to " + target,
        () -> iam.updateAccessKey(r -> r.userName(checked).accessKeyId(accessKeyId).status(target)));
    LOG.info("Set access key {} {} to {}", accessKeyId, forUser(checked), target);
  }

  @Override
  public void delete(String user, String accessKeyId) {
    String checked = checkedUser(user, "iam:DeleteAccessKey");
    try {
      call(
          "iam:DeleteAccessKey " + accessKeyId + " " + forUser(checked),
          () -> iam.deleteAccessKey(r -> r.userName(checked).accessKeyId(accessKeyId)));
      LOG.info("Deleted access key {} {}", accessKeyId, forUser(checked));
    } catch (BackendException e) {
      if (e.reason() != Reason.NOT_FOUND) {
        throw e;
      }
      LOG.debug("Access key {} {} was already gone: {}", accessKeyId, forUser(checked), e.getMessage());
    }
  }

  /**
   * Signs one identity call with the new key itself (a per-request credentials override on the
   * backend's own client: same endpoint and signing as every other call, no extra connection pool).
   * Authentication failures mean "not usable yet" (IAM is eventually consistent; new keys take
   * seconds to work). An explicit AccessDenied error code means the key authenticated, so it counts
   * as working; a bare HTTP 403 without a code does not.
   */
  @Override
  public void verify(IssuedKey key) {
    AwsCredentials credentials =
        key.sessionToken() == null
            ? AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey().reveal())
            : AwsSessionCredentials.create(
                key.accessKeyId(), key.secretAccessKey().reveal(), key.sessionToken().reveal());
    AwsRequestOverrideConfiguration signWithNewKey =
        AwsRequestOverrideConfiguration.builder()
            .credentialsProvider(StaticCredentialsProvider.create(credentials))
            .build();
    String operation =
        (config.identityApi() == IdentityApi.STS ? "sts:GetCallerIdentity" : "iam:GetUser")
            + " signed with the new access key " + key.accessKeyId();
    try {
      if (config.identityApi() == IdentityApi.STS) {
        sts.getCallerIdentity(r -> r.overrideConfiguration(signWithNewKey));
      } else {
        iam.getUser(r -> r.overrideConfiguration(signWithNewKey));
      }
    } catch (SdkException e) {
      if (AwsErrors.isExplicitAccessDenied(e)) {
        return; // the key authenticated; it just may not call GetUser
      }
      Reason reason = AwsErrors.reasonOf(e);
      if (reason == Reason.AUTHENTICATION) {
        throw new BackendException(
            Reason.KEY_NOT_USABLE_YET,
            "the new access key " + key.accessKeyId() + " is not accepted yet (" + operation + ": "
                + AwsErrors.describe(e) + ")",
            e);
      }
      throw AwsErrors.toBackendException(operation, e);
    }
  }

  @Override
  public void close() {
    try {
      iam.close();
      iamOnce.close();
      if (sts != null) {
        sts.close();
      }
    } finally {
      http.close();
    }
  }

  @Override
  public String toString() {
    return "AwsIamBackend[" + config + "]";
  }

  // --- helpers ---------------------------------------------------------------------------------

  private static <T> T call(String operation, Supplier<T> action) {
    try {
      return action.get();
    } catch (SdkException e) {
      BackendException mapped = AwsErrors.toBackendException(operation, e);
      LOG.debug("{} -> {}", operation, mapped.reason());
      throw mapped;
    }
  }

  private static String checkedUser(String user, String operation) {
    if (user == null) {
      return null;
    }
    IamNames.validateUserName(user)
        .ifPresent(
            problem -> {
              throw new BackendException(
                  Reason.INVALID_REQUEST, operation + " not sent: the user name " + problem);
            });
    return user;
  }

  private static String forUser(String user) {
    return Users.forUser("user", user);
  }

  private static String userOr(String returned, String requested) {
    String plain = IamNames.plainUserName(returned);
    return plain != null ? plain : requested;
  }

  /** Expired (an IAM status newer than this code's model) and unknown states are not usable. */
  static KeyStatus status(StatusType status) {
    return status == StatusType.ACTIVE ? KeyStatus.ACTIVE : KeyStatus.INACTIVE;
  }

  static RetryStrategy retrying() {
    return DefaultRetryStrategy.standardStrategyBuilder()
        // Without this the client adds the SDK's own rules back (clock skew, its throttling list).
        .useClientDefaults(false)
        .maxAttempts(MAX_ATTEMPTS)
        .retryOnException(AwsErrors::isRetryable)
        .treatAsThrottling(AwsErrors::isThrottling)
        .backoffStrategy(BackoffStrategy.exponentialDelayHalfJitter(Duration.ofMillis(100), Duration.ofSeconds(2)))
        .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(500), Duration.ofSeconds(5)))
        .circuitBreakerEnabled(false)
        .build();
  }

  private static ClientOverrideConfiguration overrides(RetryStrategy retryStrategy) {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(retryStrategy)
        .apiCallAttemptTimeout(API_CALL_ATTEMPT_TIMEOUT)
        .apiCallTimeout(API_CALL_TIMEOUT)
        .appId("keywarden")
        .build();
  }

  private static IamClient iamClient(AwsBackendConfig config, SdkHttpClient http, RetryStrategy retry) {
    IamClientBuilder builder =
        IamClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(config.credentialsProvider())
            .httpClient(http)
            .overrideConfiguration(overrides(retry));
    if (config.iamEndpoint() != null) {
      builder.endpointOverride(config.iamEndpoint());
    }
    return builder.build();
  }

  private static StsClient stsClient(AwsBackendConfig config, SdkHttpClient http, RetryStrategy retry) {
    StsClientBuilder builder =
        StsClient.builder()
            .region(Region.of(config.region()))
            .credentialsProvider(config.credentialsProvider())
            .httpClient(http)
            .overrideConfiguration(overrides(retry));
    if (config.stsEndpoint() != null) {
      builder.endpointOverride(config.stsEndpoint());
    }
    return builder.build();
  }

  /**
   * One HTTP client (the SDK's Apache client, found the way the SDK finds it) shared by all of this
   * backend's SDK clients, and closed with the backend.
   */
  private static SdkHttpClient newHttpClient() {
    SdkHttpService service =
        ServiceLoader.load(SdkHttpService.class, AwsIamBackend.class.getClassLoader())
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException(
                    "no AWS SDK HTTP client on the class path (software.amazon.awssdk:apache5-client)"));
    return service
        .createHttpClientBuilder()
        .buildWithDefaults(
            AttributeMap.builder()
                .put(SdkHttpConfigurationOption.CONNECTION_TIMEOUT, Duration.ofSeconds(5))
                .put(SdkHttpConfigurationOption.READ_TIMEOUT, Duration.ofSeconds(10))
                .put(SdkHttpConfigurationOption.MAX_CONNECTIONS, 16)
                .build());
  }
}
