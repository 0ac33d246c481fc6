package io.keywarden.backend.minio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keywarden.backend.AccountListing;
import io.keywarden.backend.BackendException;
import io.keywarden.backend.BackendException.Reason;
import io.keywarden.backend.CreateKeyRequest;
import io.keywarden.backend.Identity;
import io.keywarden.backend.IssuedKey;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.backend.PolicyReach;
import io.keywarden.backend.TemporaryCredentials;
import io.keywarden.backend.KeyInfo;
import io.keywarden.backend.KeySettings;
import io.keywarden.backend.KeyStatus;
import io.keywarden.backend.SecretValue;
import io.keywarden.backend.Users;
import io.keywarden.backend.TemporaryKey;
import io.keywarden.backend.minio.MinioAdminApi.Refused;
import io.keywarden.backend.minio.MinioErrors.ErrorAnswer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link KeyBackend} for MinIO / AIStor access keys (the admin API's service accounts).
 *
 * <table>
 *   <caption>calls</caption>
 *   <tr><th>method</th><th>admin API call</th></tr>
 *   <tr><td>whoAmI</td><td>{@code accountinfo}</td></tr>
 *   <tr><td>create</td><td>{@code add-service-account}; "already taken" by the same user adopts</td></tr>
 *   <tr><td>list</td><td>{@code list-service-accounts}</td></tr>
 *   <tr><td>listAccount</td><td>{@code list-access-keys-bulk?listType=svcacc-only&all=true}</td></tr>
 *   <tr><td>info</td><td>{@code info-service-account}</td></tr>
 *   <tr><td>setStatus, update</td><td>{@code info-service-account}, then {@code update-service-account}</td></tr>
 *   <tr><td>delete</td><td>{@code info-service-account}, then {@code delete-service-account} (and
 *       {@code info-service-account} again when that answers "not found")</td></tr>
 *   <tr><td>verify</td><td>S3 ListBuckets signed with the new key</td></tr>
 *   <tr><td>beyondUser</td><td>{@code accountinfo} signed with the key</td></tr>
 * </table>
 *
 * <p><b>Client-chosen credentials.</b> {@link #create} sends the request's chosen access and
 * secret key (or a pair generated here, as {@code mc} does). A retry after a lost answer meets
 * "access key already taken": when the key belongs to the same user and accepts our secret key, it
 * is ours and is adopted; otherwise {@link AccessKeyTakenException}.
 *
 * <p><b>Updates keep the policy.</b> MinIO removes a key's inline policy on every update that does
 * not resend it (so {@code mc admin accesskey disable} widens a restricted key to its user's
 * rights). {@link #setStatus} and {@link #update} therefore read the key first and always resend
 * the policy it should keep.
 *
 * <p><b>Ownership.</b> Calls on an existing key check that it belongs to the user they name (or to
 * the caller for {@code null}); MinIO itself looks keys up by access key alone.
 *
 * <p>Secrets exist only inside {@link SecretValue}s and the encrypted request bodies; they are
 * never logged and never part of a message.
 */
public final class MinioKeyBackend
    implements KeyBackend, NativeExpiry, ChosenCredentials, InPlaceSettings, TemporaryCredentials, PolicyReach,
        AccountListing {

  private static final Logger LOG = LoggerFactory.getLogger(MinioKeyBackend.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What MinIO stores and answers for "never expires". */
  private static final Instant NO_EXPIRY = Instant.EPOCH;

  private final MinioBackendConfig config;
  private final MinioAdminApi api;
  private final Clock clock;
  private volatile String callerName;

  MinioKeyBackend(MinioBackendConfig config, Clock clock) {
    this.config = config;
    this.api = new MinioAdminApi(config);
    this.clock = clock;
  }

  /** A backend for one deployment and one set of credentials. Makes no call: use {@link #whoAmI()}. */
  public static MinioKeyBackend create(MinioBackendConfig config) {
    return new MinioKeyBackend(config, Clock.systemUTC());
  }

  public MinioBackendConfig config() {
    return config;
  }

  /**
   * {@code accountinfo}: the account the credentials act for. An access key's credentials act for
   * its parent user, and keys created without a user belong to that user.
   */
  @Override
  public Identity whoAmI() {
    JsonNode info = json("admin accountinfo", api.plain("admin accountinfo", "GET", "accountinfo", Map.of()));
    String account = text(info, "AccountName");
    if (account == null) {
      throw new BackendException(Reason.UNAVAILABLE, "admin accountinfo answered without an AccountName");
    }
    callerName = account;
    return new Identity(account, account, true);
  }

  @Override
  public IssuedKey create(CreateKeyRequest request) {
    String user = request.user();
    String operation = "admin add-service-account " + forUser(user);
    check(operation, "name", MinioKeys.validateName(request.name()));
    check(operation, "description", MinioKeys.validateDescription(request.description()));
    check(operation, "policy", MinioKeys.validatePolicy(request.policy()));
    check(operation, "expiry", MinioKeys.validateExpiry(request.expiresAt(), clock.instant()));
    String accessKey = request.chosenAccessKey() != null ? request.chosenAccessKey() : MinioKeys.generateAccessKey();
    SecretValue secretKey = request.chosenSecret() != null ? request.chosenSecret() : MinioKeys.generateSecretKey();
    check(operation, "access key", MinioKeys.validateAccessKey(accessKey));
    check(operation, "secret key", MinioKeys.validateSecretKey(secretKey));
    if (accessKey.equals(user)) {
      throw new BackendException(Reason.INVALID_REQUEST, operation + " not sent: the access key must differ from the user name");
    }

    ObjectNode body = JSON.createObjectNode();
    body.put("accessKey", accessKey);
    body.put("secretKey", secretKey.reveal());
    putIfSet(body, "targetUser", user);
    putIfSet(body, "name", request.name());
    putIfSet(body, "description", request.description());
    if (request.policy() != null) {
      body.set("policy", parsePolicy(request.policy()));
    }
    if (request.expiresAt() != null) {
      body.put("expiration", request.expiresAt().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    operation = "admin add-service-account " + accessKey + " " + forUser(user);
    JsonNode answer;
    try {
      answer = json(operation, api.admin(operation, "PUT", "add-service-account", Map.of(), bytes(body), true));
    } catch (Refused refused) {
      if (refused.answer().accessKeyTakenBySameUser()) {
        return adopt(operation, user, accessKey, secretKey);
      }
      if (refused.answer().accessKeyTakenByAnotherUser()) {
        throw new AccessKeyTakenException(accessKey, operation + " failed: the access key " + accessKey + " belongs to another user");
      }
      throw refused;
    }
    JsonNode credentials = answer.path("credentials");
    if (!accessKey.equals(text(credentials, "accessKey"))) {
      throw new BackendException(Reason.UNAVAILABLE, operation + " answered without the access key");
    }
    LOG.info("Created access key {} {}", accessKey, forUser(user));
    return new IssuedKey(accessKey, secretKey, null, user != null ? user : callerName(), null);
  }

  /**
   * The key exists for the same user: ours from an earlier attempt whose answer was lost, if it
   * accepts the secret key we hold. An S3 call signed with it proves that.
   */
  private IssuedKey adopt(String operation, String user, String accessKey, SecretValue secretKey) {
    ErrorAnswer refused = api.s3ListBuckets("S3 ListBuckets signed with access key " + accessKey, new MinioSigningKey(accessKey, secretKey));
    if (refused != null && !"AccessDenied".equals(refused.code())) {
      throw new AccessKeyTakenException(
          accessKey,
          operation + " failed: the access key " + accessKey + " exists " + forUser(user)
              + " but does not accept the secret key keywarden holds (" + MinioErrors.describe(refused) + ")");
    }
    LOG.info("Adopted access key {} {}: it existed already with our secret key", accessKey, forUser(user));
    return new IssuedKey(accessKey, secretKey, null, user != null ? user : callerName(), null);
  }

  @Override
  public List<KeyInfo> list(String user) {
    String operation = "admin list-service-accounts " + forUser(user);
    JsonNode answer =
        json(operation, api.admin(operation, "GET", "list-service-accounts", user == null ? Map.of() : Map.of("user", user), null, true));
    List<KeyInfo> keys = new ArrayList<>();
    for (JsonNode account : answer.path("accounts")) {
      keys.add(keyInfo(text(account, "accessKey"), account, user).toKeyInfo());
    }
    return keys;
  }

  /**
   * {@code list-access-keys-bulk} for all users, access keys only (no STS credentials): one admin
   * call, one Argon2id derivation, for every builtin user's keys and the caller's own. MinIO asks
   * for {@code admin:ListUsers} besides {@code admin:ListServiceAccounts}. It leaves out users
   * without keys and users of OpenID or LDAP (they have bulk listings of their own), and answers
   * only each key's access key and expiry: not its status.
   */
  @Override
  public Map<String, List<KeyInfo>> listAccount() {
    String operation = "admin list-access-keys-bulk for all users";
    JsonNode answer = json(operation, api.admin(operation, "GET", "list-access-keys-bulk",
        Map.of("listType", "svcacc-only", "all", "true"), null, true));
    Map<String, List<KeyInfo>> byUser = new HashMap<>();
    answer.fields().forEachRemaining(user -> {
      List<KeyInfo> keys = new ArrayList<>();
      for (JsonNode account : user.getValue().path("serviceAccounts")) {
        keys.add(new KeyInfo(text(account, "accessKey"), user.getKey(), null, null, expiry(text(account, "expiration")), null));
      }
      byUser.put(user.getKey(), keys);
    });
    return byUser;
  }

  /**
   * One {@code info-service-account} per key: every admin answer costs an Argon2id derivation
   * whatever its size, but a listing's grows with the user's keys, and keywarden only ever needs
   * the one or two keys it holds.
   */
  @Override
  public Map<String, KeyInfo> lookup(String user, Set<String> accessKeyIds) {
    String owner = expectedOwner(user);
    Map<String, KeyInfo> found = new HashMap<>();
    for (String id : accessKeyIds) {
      info(id).filter(key -> owner.equals(key.parentUser()))
          .ifPresent(key -> found.put(id, key.toKeyInfo()));
    }
    return found;
  }

  /** Everything MinIO tells about one key, or empty when it does not know it. */
  public Optional<MinioKeyInfo> info(String accessKeyId) {
    String operation = "admin info-service-account " + accessKeyId;
    try {
      JsonNode answer =
          json(operation, api.admin(operation, "GET", "info-service-account", Map.of("accessKey", accessKeyId), null, true));
      return Optional.of(keyInfo(accessKeyId, answer, null));
    } catch (Refused refused) {
      if (refused.reason() == Reason.NOT_FOUND) {
        return Optional.empty();
      }
      throw refused;
    }
  }

  @Override
  public void setStatus(String user, String accessKeyId, KeyStatus status) {
    MinioKeyInfo current = owned(user, accessKeyId, "admin update-service-account");
    if (current.status() == status) {
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("newStatus", status == KeyStatus.ACTIVE ? "on" : "off");
    if (current.policy() != null) {
      body.set("newPolicy", parsePolicy(current.policy())); // or MinIO drops it
    }
    sendUpdate(accessKeyId, user, body);
    LOG.info("Set access key {} {} to {}", accessKeyId, forUser(user), status);
  }

  /**
   * Applies name, description, policy, expiry and status to an existing key in place, in one
   * update call, sending only what differs (and the policy to keep, see the class comment).
   *
   * @return whether anything changed
   */
  @Override
  public boolean update(String user, String accessKeyId, KeySettings settings) {
    String operation = "admin update-service-account " + accessKeyId + " " + forUser(user);
    check(operation, "name", MinioKeys.validateName(settings.name()));
    check(operation, "description", MinioKeys.validateDescription(settings.description()));
    check(operation, "policy", MinioKeys.validatePolicy(settings.policy()));
    MinioKeyInfo current = owned(user, accessKeyId, "admin update-service-account");

    ObjectNode body = JSON.createObjectNode();
    List<String> changed = new ArrayList<>();
    if (settings.name() != null && !settings.name().equals(current.name())) {
      body.put("newName", settings.name());
      changed.add("name");
    }
    if (settings.description() != null && !settings.description().equals(current.description())) {
      body.put("newDescription", settings.description());
      changed.add("description");
    }
    JsonNode desiredPolicy = settings.policy() == null ? null : parsePolicy(settings.policy());
    JsonNode currentPolicy = current.policy() == null ? null : parsePolicy(current.policy());
    if (!MinioKeys.samePolicy(desiredPolicy, currentPolicy)) {
      changed.add("policy");
    }
    Instant desiredExpiry = settings.expiresAt() == null ? null : settings.expiresAt().truncatedTo(ChronoUnit.SECONDS);
    if (!Objects.equals(desiredExpiry, current.expiresAt())) {
      if (desiredExpiry != null) {
        check(operation, "expiry", MinioKeys.validateExpiry(desiredExpiry, clock.instant()));
      }
      body.put("newExpiration", (desiredExpiry == null ? NO_EXPIRY : desiredExpiry).toString());
      changed.add("expiry");
    }
    if (settings.status() != current.status()) {
      body.put("newStatus", settings.status() == KeyStatus.ACTIVE ? "on" : "off");
      changed.add("status");
    }
    if (changed.isEmpty()) {
      return false;
    }
    if (desiredPolicy != null) {
      body.set("newPolicy", desiredPolicy); // also when unchanged: MinIO drops a policy not resent
    }
    sendUpdate(accessKeyId, user, body);
    LOG.info("Updated access key {} {}: {}", accessKeyId, forUser(user), String.join(", ", changed));
    return true;
  }

  /**
   * Changes only the expiry, in one update that resends the key's name, description, policy and
   * status as they are (MinIO drops a policy not resent).
   */
  @Override
  public void setExpiry(String user, String accessKeyId, Instant expiresAt) {
    MinioKeyInfo current = owned(user, accessKeyId, "admin update-service-account");
    update(user, accessKeyId, new KeySettings(current.name(), current.description(), current.policy(), expiresAt, current.status()));
  }

  @Override
  public void delete(String user, String accessKeyId) {
    String operation = "admin delete-service-account " + accessKeyId + " " + forUser(user);
    Optional<MinioKeyInfo> current = info(accessKeyId);
    if (current.isEmpty()) {
      LOG.debug("Access key {} {} was already gone", accessKeyId, forUser(user));
      return;
    }
    String owner = expectedOwner(user);
    if (!owner.equals(current.get().parentUser())) {
      // Not this user's key: for this user it is gone. Deleting it would hit someone else.
      LOG.warn("Not deleting access key {}: it belongs to user {}, not {}", accessKeyId, current.get().parentUser(), owner);
      return;
    }
    try {
      api.admin(operation, "DELETE", "delete-service-account", Map.of("accessKey", accessKeyId), null, false);
      LOG.info("Deleted access key {} {}", accessKeyId, forUser(user));
    } catch (Refused refused) {
      if (refused.reason() != Reason.NOT_FOUND) {
        throw refused;
      }
      if (info(accessKeyId).isPresent()) {
        // MinIO answers "not found" to a caller without admin:RemoveServiceAccount for another
        // user's key (against brute force); taking it at its word would drop a key that still works.
        throw new BackendException(Reason.ACCESS_DENIED, MinioErrors.message(operation, Reason.ACCESS_DENIED,
            MinioErrors.describe(refused.answer()) + ", yet the key still exists: MinIO answers so when the caller"
                + " lacks admin:RemoveServiceAccount"));
      }
      LOG.debug("Access key {} {} was already gone: {}", accessKeyId, forUser(user), refused.getMessage());
    }
  }

  /**
   * S3 ListBuckets signed with the new key. MinIO uses new keys at once; authentication errors
   * (unknown, disabled or expired key, wrong secret) mean "not usable". AccessDenied means the key
   * authenticated and only lacks {@code s3:ListAllMyBuckets}, so it counts as working.
   */
  @Override
  public void verify(IssuedKey key) {
    String operation = "S3 ListBuckets signed with the new access key " + key.accessKeyId();
    ErrorAnswer refused = api.s3ListBuckets(operation, new MinioSigningKey(key.accessKeyId(), key.secretAccessKey(), key.sessionToken()));
    if (refused == null || "AccessDenied".equals(refused.code())) {
      return;
    }
    Reason reason = MinioErrors.reasonOf(refused);
    if (reason == Reason.AUTHENTICATION) {
      throw new BackendException(
          Reason.KEY_NOT_USABLE_YET,
          "the access key " + key.accessKeyId() + " is not accepted (" + operation + ": " + MinioErrors.describe(refused) + ")");
    }
    throw new BackendException(reason, MinioErrors.message(operation, reason, MinioErrors.describe(refused)));
  }

  /**
   * {@code accountinfo} signed with the key itself: for a key MinIO answers the rights of its user
   * (the user's and its groups' policies, or an OpenID identity's claims), which any key may ask,
   * compared with the key's own policy ({@link PolicyCoverage}).
   */
  @Override
  public List<String> beyondUser(String user, String accessKeyId, SecretValue secretKey, String policy) {
    String operation = "admin accountinfo signed with access key " + accessKeyId;
    JsonNode rights =
        json(operation, api.plainAs(operation, "accountinfo", new MinioSigningKey(accessKeyId, secretKey))).get("Policy");
    if (rights == null || !rights.isObject()) {
      throw new BackendException(Reason.UNAVAILABLE, operation + " answered without the user's policy");
    }
    return PolicyCoverage.beyond(parsePolicy(policy), rights, expectedOwner(user));
  }

  @Override
  public ChosenKey generate() {
    return new ChosenKey(MinioKeys.generateAccessKey(), MinioKeys.generateSecretKey());
  }

  @Override
  public Optional<String> accessKeyProblem(String accessKeyId) {
    return MinioKeys.validateAccessKey(accessKeyId);
  }

  @Override
  public Optional<String> secretKeyProblem(SecretValue secretKey) {
    return MinioKeys.validateSecretKey(secretKey);
  }

  @Override
  public Optional<String> policyProblem(String policy) {
    return MinioKeys.validatePolicy(policy);
  }

  /**
   * Signed in through OpenID: STS issues temporary credentials of that identity (mc --sts-only).
   * {@link MinioKind} refuses spec.temporary for a provider with stored credentials.
   */
  @Override
  public TemporaryKey issueTemporary(Duration lifetime, String policy) {
    if (!(config.identity() instanceof MinioWebIdentity openid)) {
      throw new UnsupportedOperationException("temporary credentials need a MinIO provider signed in through OpenID");
    }
    if (policy != null) {
      check("STS AssumeRoleWithWebIdentity", "policy", MinioKeys.validatePolicy(policy));
    }
    MinioWebIdentity.TemporaryCredentials issued = openid.assume(lifetime, policy);
    MinioSigningKey key = issued.key();
    LOG.info("Issued temporary credentials {} for {}", key.accessKey(), callerName());
    return new TemporaryKey(
        new IssuedKey(key.accessKey(), key.secretKey(), key.sessionToken(), callerName(), issued.issuedAt()),
        issued.expiresAt());
  }

  /** The JDK HTTP client idles out by itself; an OpenID sign-in holds an STS client to close. */
  @Override
  public void close() {
    if (config.identity() instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debug("closing {} failed: {}", config.identity(), e.getMessage());
      }
    }
  }

  @Override
  public String toString() {
    return "MinioKeyBackend[" + config + "]";
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void sendUpdate(String accessKeyId, String user, ObjectNode body) {
    String operation = "admin update-service-account " + accessKeyId + " " + forUser(user);
    api.admin(operation, "POST", "update-service-account", Map.of("accessKey", accessKeyId), bytes(body), false);
  }

  /** The key, checked to belong to {@code user} (the caller for null); NOT_FOUND otherwise. */
  private MinioKeyInfo owned(String user, String accessKeyId, String operation) {
    MinioKeyInfo current =
        info(accessKeyId)
            .orElseThrow(() -> new BackendException(
                Reason.NOT_FOUND, operation + " " + accessKeyId + " failed: MinIO knows no such access key"));
    String owner = expectedOwner(user);
    if (!owner.equals(current.parentUser())) {
      throw new BackendException(
          Reason.NOT_FOUND,
          operation + " " + accessKeyId + " not sent: the access key belongs to user " + current.parentUser() + ", not " + owner);
    }
    return current;
  }

  private String expectedOwner(String user) {
    return user != null ? user : callerName();
  }

  private String callerName() {
    String name = callerName;
    return name != null ? name : whoAmI().userName();
  }

  private static MinioKeyInfo keyInfo(String accessKeyId, JsonNode account, String requestedUser) {
    String parent = text(account, "parentUser");
    return new MinioKeyInfo(
        accessKeyId,
        parent != null ? parent : requestedUser,
        "off".equals(text(account, "accountStatus")) ? KeyStatus.INACTIVE : KeyStatus.ACTIVE,
        expiry(text(account, "expiration")),
        text(account, "name"),
        text(account, "description"),
        account.path("impliedPolicy").asBoolean(false) ? null : policyText(account.get("policy")));
  }

  /** MinIO answers the policy as a JSON string holding the document (mc prints it parsed). */
  private static String policyText(JsonNode policy) {
    if (policy == null || policy.isNull() || policy.isMissingNode()) {
      return null;
    }
    String text = policy.isTextual() ? policy.asText() : policy.toString();
    return text.isBlank() ? null : text;
  }

  /** "1970-01-01T00:00:00Z" (and Go's zero time) mean "never". */
  static Instant expiry(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      Instant at = OffsetDateTime.parse(value).toInstant();
      return at.isAfter(NO_EXPIRY) ? at : null;
    } catch (DateTimeParseException e) {
      throw new BackendException(Reason.UNAVAILABLE, "MinIO answered an unreadable expiration: " + value);
    }
  }

  private static JsonNode parsePolicy(String policy) {
    try {
      return JSON.readTree(policy);
    } catch (IOException e) {
      throw new BackendException(Reason.INVALID_REQUEST, "the policy is not valid JSON");
    }
  }

  private static JsonNode json(String operation, byte[] body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      // Jackson's message would quote the body, which may hold a secret.
      throw new BackendException(Reason.UNAVAILABLE, operation + " answered something that is not JSON");
    }
  }

  private static byte[] bytes(ObjectNode body) {
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialize a JSON tree", e);
    }
  }

  private static void check(String operation, String field, Optional<String> problem) {
    problem.ifPresent(p -> {
      throw new BackendException(Reason.INVALID_REQUEST, operation + " not sent: the " + field + " " + p);
    });
  }

  private static void putIfSet(ObjectNode body, String field, String value) {
    if (value != null && !value.isEmpty()) {
      body.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    return value == null || !value.isTextual() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String forUser(String user) {
    return Users.forUser("user", user);
  }
}
