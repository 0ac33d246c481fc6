package io.keywarden.testsupport.outscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keywarden.backend.SecretValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wire-level stand-in for the OUTSCALE API's access-key calls ({@code CreateAccessKey}, {@code
 * ReadAccessKeys}, {@code UpdateAccessKey}, {@code DeleteAccessKey}) for one account, on 127.0.0.1
 * and a free port. No Outscale server can run here; this one is kept honest three ways:
 *
 * <ol>
 *   <li>it checks request signatures ({@link SignatureCheck}) and login/password headers as the API
 *       documents them;
 *   <li>it validates every request body and every response body it sends against the official
 *       OpenAPI spec ({@link OapiSpec}, from PyPI osc-sdk-python); a request that fails is answered
 *       400 and recorded, a response that fails is answered 500 and recorded ({@link
 *       #specViolations()}), so tests can insist there are none;
 *   <li>the official CLI and Python SDK, unmodified, are run against it (OutscaleStandInCliIT).
 * </ol>
 *
 * <p><b>Behaviour modelled from Outscale's documentation</b> (the API reference in the spec and the
 * user guide pages "About Access Keys", "Deleting an EIM Access Key", "API Throttling", and the
 * errors page):
 *
 * <ul>
 *   <li>keys are created ACTIVE; at most {@value #DEFAULT_KEY_LIMIT} per user and for the root
 *       account (error 10005 too-many-accesskeys);
 *   <li>{@code UpdateAccessKey} without {@code ExpirationDate} makes the key never expire ("If not
 *       specified, the access key is set to not expire"); {@code ClearExpirationDate} does too;
 *       {@code Tag} replaces the tag, {@code ClearTag} removes it, no {@code Tag} keeps it;
 *   <li>an EIM user's key must be INACTIVE to be deleted (error 6003 invalid-state);
 *   <li>{@code ReadAccessKeys} filters by {@code Filters.AccessKeyIds}, {@code Filters.States} and
 *       the top-level {@code Tag};
 *   <li>four failed authentications in a row with one access key or login lock it for a minute,
 *       one more minute every four further failures, at most ten (error 13, HTTP 401); while
 *       locked, even correct credentials are refused;
 *   <li>injectable throttling: HTTP 503 code 6 (whole platform), 429 code 24 (per account), 429
 *       code 25 (per call);
 *   <li>login/password ({@code Authorization: Basic}, plus {@code X-Osc-Date}) only for operations
 *       whose spec {@code security} lists {@code BasicAuth} (else error 9);
 *   <li>{@code DryRun: true} authenticates, validates and checks the target, then answers 200 with
 *       only a {@code ResponseContext} (an assumption: the spec documents no other answer).
 * </ul>
 *
 * Error codes and types are those of the errors page and of osc-sdk-python's
 * {@code gateway_errors.yaml}; HTTP statuses for the 4000-10000 ranges are not documented there
 * and are answered 400 (6003: 409). Keys: 20 and 40 upper-case alphanumerics, as on the reference
 * page. Dates are written as the API writes them: {@code 2063-04-05T00:00:00.000+0000}.
 */
public final class OapiStandIn implements AutoCloseable {

  public static final String REGION = "eu-west-2";
  public static final int DEFAULT_KEY_LIMIT = 10;
  public static final String LOGIN = "keywarden@example.com";

  private static final Set<String> ACTIONS =
      Set.of("CreateAccessKey", "ReadAccessKeys", "UpdateAccessKey", "DeleteAccessKey");
  private static final Pattern PATH = Pattern.compile("/+api/+(?:v1|latest)/+([A-Za-z]+)/*");
  private static final DateTimeFormatter OSC_DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter BASIC_DATE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The throttling answers of "API Throttling", by limiter. */
  public enum Throttle {
    WHOLE_PLATFORM(503, "6", "ErrorOperationThrottledWholePlatform: Request rate exceeded."),
    PER_ACCOUNT(429, "24", "ErrorOperationThrottledPerAccount: Request rate exceeded."),
    PER_CALL(429, "25", "ErrorOperationThrottledPerCall: Request rate exceeded.");

    final int status;
    final String code;
    final String details;

    Throttle(int status, String code, String details) {
      this.status = status;
      this.code = code;
      this.details = details;
    }
  }

  /** An access key id and its secret, the secret masked in {@link #toString()}. */
  public record Credentials(String accessKeyId, SecretValue secretKey) {}

  /**
   * One request as the stand-in saw it.
   *
   * @param auth {@code OSC4-HMAC-SHA256}, {@code AWS4-HMAC-SHA256}, {@code Basic} or {@code none}
   * @param caller the access key id or login that was presented
   * @param scope the signature's credential scope (date/region/service/terminator), or null
   * @param body the request body (never holds a secret: secrets are only ever in responses)
   * @param errorCode the OUTSCALE error code answered, null on success
   * @param refusal why authentication failed (for test messages; the client only sees the code)
   */
  public record Seen(
      String action, String auth, String caller, String scope, JsonNode body, int status, String errorCode, String refusal) {}

  /** A key as the stand-in holds it. {@code owner} is null for the root account's keys. */
  public static final class Key {
    final String id;
    final String secret;
    final String owner;
    String state = "ACTIVE";
    final Instant created;
    Instant modified;
    Instant expiration;
    String tag;

    Key(String id, String secret, String owner, Instant now) {
      this.id = id;
      this.secret = secret;
      this.owner = owner;
      this.created = now;
      this.modified = now;
    }

    public String id() {
      return id;
    }

    public String state() {
      return state;
    }

    public Instant expiration() {
      return expiration;
    }

    public String tag() {
      return tag;
    }
  }

  private record Caller(String owner) {} // owner: null = root, else the EIM user

  private static final class ApiError extends Exception {
    final int status;
    final String code;
    final String type;
    final String details;
    final String refusal;

    ApiError(int status, String code, String type, String details) {
      this(status, code, type, details, null);
    }

    ApiError(int status, String code, String type, String details, String refusal) {
      super(code + " " + type + ": " + details, null, false, false);
      this.status = status;
      this.code = code;
      this.type = type;
      this.details = details;
      this.refusal = refusal;
    }

    static ApiError authenticationFailed(String why) {
      return new ApiError(401, "1", "AccessDenied", "ErrorAuthenticationFailed", why);
    }
  }

  private static final class Lockout {
    int consecutiveFailures;
    Instant lockedUntil = Instant.MIN;
  }

  private final OapiSpec spec;
  private final HttpServer server;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Key> keys = new LinkedHashMap<>();
  private final Set<String> users = new java.util.HashSet<>();
  private final Map<String, Lockout> lockouts = new HashMap<>();
  private final Deque<Throttle> throttles = new ArrayDeque<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final SecretValue password = SecretValue.of("keywarden-stand-in-password");
  private Credentials root;
  private int keyLimit = DEFAULT_KEY_LIMIT;
  private Duration clockOffset = Duration.ZERO;

  private OapiStandIn(OapiSpec spec) throws IOException {
    this.spec = spec;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "oapi-stand-in");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", this::handle);
    reset();
  }

  /** Starts a stand-in with the spec shipped by the pinned osc-sdk-python. */
  public static OapiStandIn start() {
    try {
      OapiStandIn standIn = new OapiStandIn(OutscaleTools.spec());
      standIn.server.start();
      return standIn;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the OAPI stand-in", e);
    }
  }

  /** {@code http://127.0.0.1:<port>/api/v1}, the form of {@code https://api.<region>.outscale.com/api/v1}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1");
  }

  /** {@code http://127.0.0.1:<port>}: what osc-cli's {@code endpoint} setting takes. */
  public URI origin() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Forgets every key, user, lockout, injected failure and record; issues a new root key. */
  public synchronized void reset() {
    keys.clear();
    users.clear();
    lockouts.clear();
    throttles.clear();
    seen.clear();
    violations.clear();
    keyLimit = DEFAULT_KEY_LIMIT;
    clockOffset = Duration.ZERO;
    Key key = newKey(null);
    root = new Credentials(key.id, SecretValue.of(key.secret));
  }

  /** An access key of the root account (every account has one from the start). */
  public synchronized Credentials rootCredentials() {
    return root;
  }

  /** The account's password for {@link #LOGIN}. */
  public SecretValue password() {
    return password;
  }

  public synchronized void createUser(String name) {
    users.add(name);
  }

  /** Creates a key directly (not through the API), e.g. for an EIM user to sign with. */
  public synchronized Credentials createKey(String owner) {
    Key key = newKey(owner);
    return new Credentials(key.id, SecretValue.of(key.secret));
  }

  public synchronized void setKeyLimit(int limit) {
    keyLimit = limit;
  }

  /** The next requests get these throttling answers, in order, before anything else is checked. */
  public synchronized void throttleNext(Throttle... answers) {
    throttles.addAll(List.of(answers));
  }

  /** Moves the stand-in's clock (lockouts, expiry) forward. Signatures keep their 15-minute window. */
  public synchronized void advanceClock(Duration by) {
    clockOffset = clockOffset.plus(by);
  }

  /** A snapshot of the keys of an owner (null: the root account), in creation order. */
  public synchronized List<Key> keysOf(String owner) {
    return keys.values().stream().filter(k -> Objects.equals(k.owner, owner)).toList();
  }

  public List<Seen> requests() {
    return List.copyOf(seen);
  }

  /** Spec violations seen so far, requests and responses alike; see the class comment. */
  public List<String> specViolations() {
    return List.copyOf(violations);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  // --- request handling ------------------------------------------------------------------------

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readAllBytes();
      String rawPath = rawPath(exchange.getRequestURI());
      Matcher path = PATH.matcher(rawPath);
      if (!path.matches() || !exchange.getRequestMethod().equals("POST")) {
        violations.add("request " + exchange.getRequestMethod() + " " + rawPath);
        send(exchange, 404, "text/plain", "not an OAPI action path: " + rawPath);
        return;
      }
      String action = path.group(1);
      synchronized (this) {
        answer(exchange, rawPath, action, body);
      }
    }
  }

  /**
   * The request-target's path as sent. osc-cli sends {@code //api/latest/<Action>}, which the JDK
   * server parses as authority {@code api} and path {@code /latest/<Action>}: put it back.
   */
  private static String rawPath(URI target) {
    return target.getRawAuthority() == null ? target.getRawPath() : "//" + target.getRawAuthority() + target.getRawPath();
  }

  private void answer(HttpExchange exchange, String rawPath, String action, byte[] body) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    String auth = authorization == null ? "none" : authorization.split(" ", 2)[0];
    SignatureCheck.Claim claim = SignatureCheck.parse(authorization);
    String caller = claim != null ? claim.accessKeyId() : basicLogin(authorization);
    JsonNode request = null;
    int status;
    ObjectNode response;
    String errorCode = null;
    String refusal = null;
    try {
      if (!spec.hasOperation(action) || !ACTIONS.contains(action)) {
        throw new ApiError(400, "0", "DefaultError", "the stand-in does not implement " + action);
      }
      Throttle throttle = throttles.poll();
      if (throttle != null) {
        throw new ApiError(throttle.status, throttle.code, "AccessDenied", throttle.details);
      }
      Caller who = authenticate(exchange, rawPath, action, auth, claim, authorization, body);
      request = parseBody(exchange, body);
      List<String> problems = spec.validateRequest(action, request);
      if (!problems.isEmpty()) {
        violations.add("request " + action + ": " + problems);
        throw new ApiError(400, "4045", "InvalidParameterValue", "invalid-parameter: " + String.join("; ", problems));
      }
      response = dispatch(action, who, (ObjectNode) request);
      status = 200;
    } catch (ApiError e) {
      refusal = e.refusal;
      status = e.status;
      errorCode = e.code;
      response = JSON.createObjectNode();
      ObjectNode error = response.putArray("Errors").addObject();
      error.put("Code", e.code).put("Type", e.type).put("Details", e.details);
    }
    response.putObject("ResponseContext").put("RequestId", UUID.randomUUID().toString());
    List<String> problems = spec.validateResponse(action, status, response);
    if (!problems.isEmpty()) {
      violations.add("response " + action + " " + status + ": " + problems);
      status = 500;
    }
    seen.add(new Seen(action, auth, caller, claim == null ? null : claim.scope(), request, status, errorCode, refusal));
    send(exchange, status, "application/json", JSON.writeValueAsString(response));
  }

  private Caller authenticate(
      HttpExchange exchange, String rawPath, String action, String auth, SignatureCheck.Claim claim,
      String authorization, byte[] body)
      throws ApiError {
    Instant now = now();
    if (claim != null) {
      Lockout lockout = lockouts.computeIfAbsent(claim.accessKeyId(), k -> new Lockout());
      refuseWhileLocked(lockout, now);
      Key key = keys.get(claim.accessKeyId());
      String problem;
      if (key == null) {
        problem = "unknown access key";
      } else if (!key.state.equals("ACTIVE") || (key.expiration != null && !key.expiration.isAfter(now))) {
        problem = "access key " + key.state + (key.expiration != null && !key.expiration.isAfter(now) ? ", expired" : "");
      } else {
        problem =
            SignatureCheck.verify(
                claim, key.secret, exchange.getRequestMethod(), rawPath,
                exchange.getRequestURI().getRawQuery(), SignatureCheck.lookup(exchange.getRequestHeaders()),
                body, REGION, Instant.now());
      }
      if (problem != null) {
        fail(lockout, now);
        throw ApiError.authenticationFailed(problem);
      }
      lockout.consecutiveFailures = 0;
      return new Caller(key.owner);
    }
    if (authorization != null && authorization.startsWith("Basic ")) {
      String login = basicLogin(authorization);
      Lockout lockout = lockouts.computeIfAbsent(String.valueOf(login), k -> new Lockout());
      refuseWhileLocked(lockout, now);
      if (!spec.securitySchemes(action).contains("BasicAuth")) {
        throw new ApiError(401, "9", "AuthFailure",
            "ErrorAuthFailure: The authentication using login/password is not allowed for this call.");
      }
      String date = exchange.getRequestHeaders().getFirst("X-Osc-Date");
      try {
        BASIC_DATE_TIME.parse(date == null ? "" : date);
      } catch (DateTimeParseException e) {
        throw ApiError.authenticationFailed("X-Osc-Date is not YYYYMMDDTHHMMSSZ: " + date);
      }
      String presented = basicPassword(authorization);
      if (!LOGIN.equals(login) || presented == null
          || !MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), password.reveal().getBytes(StandardCharsets.UTF_8))) {
        fail(lockout, now);
        throw ApiError.authenticationFailed("wrong login or password");
      }
      lockout.consecutiveFailures = 0;
      return new Caller(null);
    }
    throw ApiError.authenticationFailed("no signature and no Basic credentials (Authorization: " + auth + ")");
  }

  private static void refuseWhileLocked(Lockout lockout, Instant now) throws ApiError {
    if (now.isBefore(lockout.lockedUntil)) {
      throw new ApiError(401, "13", "AccessDenied",
          "ErrorTemporaryBruteForceAccessLockedException: Too many failed connection attempts. Your access has been locked for "
              + Duration.between(now, lockout.lockedUntil).toSeconds() + " seconds.");
    }
  }

  private static void fail(Lockout lockout, Instant now) {
    lockout.consecutiveFailures++;
    if (lockout.consecutiveFailures % 4 == 0) {
      lockout.lockedUntil = now.plus(Duration.ofMinutes(Math.min(lockout.consecutiveFailures / 4, 10)));
    }
  }

  private JsonNode parseBody(HttpExchange exchange, byte[] body) throws ApiError {
    String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
    if (!contentType.startsWith("application/json")) {
      violations.add("request Content-Type " + contentType);
      throw new ApiError(400, "4045", "InvalidParameterValue", "invalid-parameter: Content-Type " + contentType);
    }
    try {
      JsonNode node = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
      if (node instanceof ObjectNode) {
        return node;
      }
    } catch (IOException notJson) {
      // answered below
    }
    violations.add("request body is not a JSON object");
    throw new ApiError(400, "4045", "InvalidParameterValue", "invalid-parameter: the body is not a JSON object");
  }

  // --- the four actions ------------------------------------------------------------------------

  private ObjectNode dispatch(String action, Caller who, ObjectNode request) throws ApiError {
    String owner = targetOwner(who, request);
    boolean dryRun = request.path("DryRun").asBoolean(false);
    return switch (action) {
      case "CreateAccessKey" -> create(owner, request, dryRun);
      case "ReadAccessKeys" -> read(owner, request, dryRun);
      case "UpdateAccessKey" -> update(owner, request, dryRun);
      case "DeleteAccessKey" -> delete(owner, request, dryRun);
      default -> throw new IllegalStateException(action);
    };
  }

  /** The owner a request acts on: its UserName, else the caller itself. */
  private String targetOwner(Caller who, ObjectNode request) throws ApiError {
    String userName = request.hasNonNull("UserName") ? request.get("UserName").asText() : null;
    if (userName == null) {
      return who.owner();
    }
    if (who.owner() != null && !who.owner().equals(userName)) {
      // EIM policies are not modelled: an EIM user manages its own keys only.
      throw new ApiError(401, "5", "AccessDenied", "ErrorNotAuthorized");
    }
    if (!users.contains(userName)) {
      throw new ApiError(400, "5075", "InvalidResource", "no-such-user: " + userName);
    }
    return userName;
  }

  private ObjectNode create(String owner, ObjectNode request, boolean dryRun) throws ApiError {
    Instant expiration = request.has("ExpirationDate") ? futureDate(request.get("ExpirationDate").asText()) : null;
    if (keysOf(owner).size() >= keyLimit) {
      throw new ApiError(400, "10005", "TooManyResources (QuotaExceded)", "too-many-accesskeys: the limit is " + keyLimit);
    }
    ObjectNode response = JSON.createObjectNode();
    if (dryRun) {
      return response;
    }
    Key key = newKey(owner);
    key.expiration = expiration;
    key.tag = request.hasNonNull("Tag") ? request.get("Tag").asText() : null;
    ObjectNode out = describe(key, response.putObject("AccessKey"));
    out.put("SecretKey", key.secret);
    return response;
  }

  private ObjectNode read(String owner, ObjectNode request, boolean dryRun) {
    ObjectNode response = JSON.createObjectNode();
    if (dryRun) {
      return response;
    }
    Set<String> ids = textSet(request.path("Filters").path("AccessKeyIds"));
    Set<String> states = textSet(request.path("Filters").path("States"));
    String tag = request.hasNonNull("Tag") ? request.get("Tag").asText() : null;
    ArrayNode list = response.putArray("AccessKeys");
    for (Key key : keysOf(owner)) {
      if ((ids == null || ids.contains(key.id)) && (states == null || states.contains(key.state))
          && (tag == null || tag.equals(key.tag))) {
        describe(key, list.addObject());
      }
    }
    return response;
  }

  private ObjectNode update(String owner, ObjectNode request, boolean dryRun) throws ApiError {
    Key key = ownedKey(owner, request.get("AccessKeyId").asText());
    String state = request.hasNonNull("State") ? request.get("State").asText() : key.state;
    if (!state.equals("ACTIVE") && !state.equals("INACTIVE")) {
      throw new ApiError(400, "4047", "InvalidParameterValue", "invalid-parameter-value: State " + state);
    }
    boolean clearExpiration = request.path("ClearExpirationDate").asBoolean(false);
    Instant expiration =
        !clearExpiration && request.has("ExpirationDate") ? futureDate(request.get("ExpirationDate").asText()) : null;
    ObjectNode response = JSON.createObjectNode();
    if (dryRun) {
      return response;
    }
    key.state = state;
    key.expiration = expiration; // absent means "never expires", as documented
    if (request.path("ClearTag").asBoolean(false)) {
      key.tag = null;
    } else if (request.hasNonNull("Tag")) {
      key.tag = request.get("Tag").asText();
    }
    key.modified = now();
    describe(key, response.putObject("AccessKey"));
    return response;
  }

  private ObjectNode delete(String owner, ObjectNode request, boolean dryRun) throws ApiError {
    Key key = ownedKey(owner, request.get("AccessKeyId").asText());
    if (owner != null && key.state.equals("ACTIVE")) {
      throw new ApiError(409, "6003", "InvalidState",
          "invalid-state: the access key of an EIM user must be INACTIVE to be deleted");
    }
    if (!dryRun) {
      keys.remove(key.id);
    }
    return JSON.createObjectNode();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private Key ownedKey(String owner, String id) throws ApiError {
    Key key = keys.get(id);
    if (key == null || !Objects.equals(key.owner, owner)) {
      throw new ApiError(400, "4000", "InvalidParameterValue", "access-keys-not-found: " + id);
    }
    return key;
  }

  /** {@code ExpirationDate}: a date-time or a date (midnight UTC), in the future. */
  private Instant futureDate(String value) throws ApiError {
    Instant instant;
    try {
      instant =
          value.length() == 10
              ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
              : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new ApiError(400, "4047", "InvalidParameterValue", "invalid-parameter-value: ExpirationDate " + value);
    }
    if (!instant.isAfter(now())) {
      throw new ApiError(400, "4047", "InvalidParameterValue", "invalid-parameter-value: ExpirationDate is in the past");
    }
    return instant.truncatedTo(ChronoUnit.MILLIS);
  }

  private static ObjectNode describe(Key key, ObjectNode out) {
    out.put("AccessKeyId", key.id);
    out.put("CreationDate", OSC_DATE.format(key.created));
    if (key.expiration != null) {
      out.put("ExpirationDate", OSC_DATE.format(key.expiration));
    }
    out.put("LastModificationDate", OSC_DATE.format(key.modified));
    out.put("State", key.state);
    if (key.tag != null) {
      out.put("Tag", key.tag);
    }
    return out;
  }

  private static Set<String> textSet(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    Set<String> values = new java.util.HashSet<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private Key newKey(String owner) {
    Key key = new Key(randomString(20), randomString(40), owner, now().truncatedTo(ChronoUnit.MILLIS));
    keys.put(key.id, key);
    return key;
  }

  private String randomString(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return s.toString();
  }

  private Instant now() {
    return Clock.offset(Clock.systemUTC(), clockOffset).instant();
  }

  /** The login of a Basic header. osc-cli encodes URL-safe Base64, the Python SDK standard Base64. */
  private static String basicLogin(String authorization) {
    String decoded = basicDecoded(authorization);
    return decoded == null || decoded.indexOf(':') < 0 ? decoded : decoded.substring(0, decoded.indexOf(':'));
  }

  private static String basicPassword(String authorization) {
    String decoded = basicDecoded(authorization);
    return decoded == null || decoded.indexOf(':') < 0 ? null : decoded.substring(decoded.indexOf(':') + 1);
  }

  private static String basicDecoded(String authorization) {
    if (authorization == null || !authorization.startsWith("Basic ")) {
      return null;
    }
    String encoded = authorization.substring("Basic ".length()).strip();
    try {
      return new String(
          (encoded.contains("-") || encoded.contains("_") ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(encoded),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  @Override
  public String toString() {
    return "OapiStandIn[" + endpoint() + ", spec " + spec.version() + "]";
  }
}
