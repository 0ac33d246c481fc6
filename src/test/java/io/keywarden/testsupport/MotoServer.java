package io.keywarden.testsupport;

import io.keywarden.backend.SecretValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;

/**
 * A real {@code moto_server} (PyPI {@code moto[server]}, pinned in {@code hack/python-tools.sh})
 * on 127.0.0.1 and a free port, serving IAM and STS for account {@value #ACCOUNT_ID}.
 *
 * <p><b>Authentication.</b> moto starts with authentication off: it accepts any credentials and
 * answers GetCallerIdentity for unknown keys with {@code arn:aws:sts::123456789012:user/moto}.
 * {@link #enableAuthentication()} turns on moto's IAM authentication ({@code POST
 * /moto-api/reset-auth} with body {@code 0}, the runtime form of the
 * {@code INITIAL_NO_AUTH_ACTION_COUNT=0} environment variable): from then on every request must be
 * SigV4-signed by an access key moto itself issued (else InvalidClientTokenId, or
 * SignatureDoesNotMatch for a wrong secret), and IAM calls must be allowed by the signer's
 * policies (else AccessDenied; sts:GetCallerIdentity is always allowed). Create the admin with
 * {@link #adminCredentials()} before turning it on: it is an IAM user with an inline
 * allow-everything policy, moto's stand-in for root credentials (moto has no root keys).
 *
 * <p>What moto 5.2.5 does and does not do, as the tests found it:
 *
 * <ul>
 *   <li>enforces the two-keys-per-user limit (LimitExceeded, HTTP 409, "Cannot exceed quota for
 *       AccessKeysPerUser: 2"); inactive keys count;
 *   <li>does <em>not</em> check IAM's user-name pattern or length (it creates "bad name!");
 *   <li>with authentication on, refuses unknown/deleted keys and wrong secrets but <em>accepts
 *       inactive keys</em> (AWS refuses them);
 *   <li>sends its authentication errors EC2-style ({@code <ErrorResponse><Errors><Error>}), which
 *       the Java SDK does not parse: keywarden reads the code from the raw body;
 *   <li>ListAccessKeys returns keys in creation order (a delete keeps the others' order), never
 *       pages (no Marker/IsTruncated), and CreateDate has microseconds, the same value as
 *       CreateAccessKey returned;
 *   <li>access key ids are {@code AKIA} + 16 characters derived from the account; secrets are 40
 *       alphanumeric characters (never {@code /} or {@code +}, unlike AWS);
 *   <li>CreateAccessKey/ListAccessKeys without UserName need a signing key moto issued (else
 *       NoSuchEntity), as on AWS where they mean the caller's own keys;
 *   <li>with authentication off, GetCallerIdentity for an unknown key answers
 *       {@code arn:aws:sts::123456789012:user/moto}.
 * </ul>
 */
public final class MotoServer implements AutoCloseable {

  /** moto's default account. */
  public static final String ACCOUNT_ID = "123456789012";

  public static final String REGION = "us-east-1";

  public static final String ADMIN_USER = "keywarden-admin";

  /** Accepted by moto while authentication is off (any credentials are). */
  private static final Credentials ANY =
      new Credentials("AKIAKEYWARDENTESTING", SecretValue.of("keywarden-testing-secret-not-a-secret"));

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final Process process;
  private final URI endpoint;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Thread shutdownHook;
  private Credentials admin;
  private boolean authenticationEnabled;

  /** Access key id and secret, the secret masked in {@link #toString()}. */
  public record Credentials(String accessKeyId, SecretValue secretAccessKey) {
    public AwsCredentialsProvider provider() {
      return StaticCredentialsProvider.create(
          AwsBasicCredentials.create(accessKeyId, secretAccessKey.reveal()));
    }
  }

  private MotoServer(Process process, URI endpoint, Path log) {
    this.process = process;
    this.endpoint = endpoint;
    this.log = log;
    this.shutdownHook = new Thread(this::stopProcess, "moto-server-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Builds the venv if needed, starts moto_server on 127.0.0.1 and waits until it answers. */
  public static MotoServer start() {
    return start("127.0.0.1");
  }

  /** Like {@link #start()}, listening on {@code host} (the local node's bridge address, for pods). */
  public static MotoServer start(String host) {
    Path motoServer = PythonTools.binDir().resolve("moto_server");
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      try {
        return startOn(motoServer, host, port);
      } catch (IllegalStateException e) {
        last = e; // most likely the port was taken between probing and binding: try another
      }
    }
    throw last;
  }

  private static MotoServer startOn(Path motoServer, String host, int port) {
    Path log;
    Process process;
    try {
      log = Files.createTempFile("moto-server-" + port + "-", ".log");
      ProcessBuilder pb =
          new ProcessBuilder(List.of(motoServer.toString(), "-H", host, "-p", Integer.toString(port)))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("MOTO_"));
      env.remove("INITIAL_NO_AUTH_ACTION_COUNT");
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + motoServer, e);
    }
    MotoServer server = new MotoServer(process, URI.create("http://" + host + ":" + port), log);
    try {
      server.awaitReady();
      return server;
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private void awaitReady() {
    Instant deadline = Instant.now().plus(STARTUP_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "moto_server exited with " + process.exitValue() + " before answering:\n" + logTail());
      }
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(endpoint.resolve("/moto-api/")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for moto_server", e);
      }
      sleep(100);
    }
    throw new IllegalStateException("moto_server did not answer within " + STARTUP_TIMEOUT + ":\n" + logTail());
  }

  /** {@code http://127.0.0.1:<port>}: both IAM and STS. */
  public URI endpoint() {
    return endpoint;
  }

  /**
   * Forgets every user, key and policy ({@code POST /moto-api/reset}) and turns authentication
   * off again (a reset with authentication on would lock everyone out: the admin is gone too).
   */
  public void reset() {
    disableAuthentication();
    post("/moto-api/reset", "");
    admin = null;
  }

  /** Turns moto's IAM authentication on; see the class comment. */
  public void enableAuthentication() {
    adminCredentials(); // must exist before, or nobody can sign anything any more
    post("/moto-api/reset-auth", "0");
    authenticationEnabled = true;
  }

  public void disableAuthentication() {
    post("/moto-api/reset-auth", "inf");
    authenticationEnabled = false;
  }

  public boolean authenticationEnabled() {
    return authenticationEnabled;
  }

  /**
   * Credentials that work now: anything while authentication is off; the admin's once it is on.
   * Use these to set up users and keys for a test.
   */
  public Credentials setupCredentials() {
    return authenticationEnabled ? admin : ANY;
  }

  /**
   * The admin ({@value #ADMIN_USER}, inline policy allowing every action on every resource) and an
   * access key of it; created on first use after start or {@link #reset()}.
   */
  public synchronized Credentials adminCredentials() {
    if (admin == null) {
      try (IamClient iam = iamClient(setupCredentials())) {
        iam.createUser(r -> r.userName(ADMIN_USER));
        iam.putUserPolicy(
            r -> r.userName(ADMIN_USER)
                .policyName("allow-everything")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"));
        admin = toCredentials(iam.createAccessKey(r -> r.userName(ADMIN_USER)).accessKey());
      }
    }
    return admin;
  }

  /** Creates an IAM user without any policy. */
  public void createUser(String userName) {
    try (IamClient iam = iamClient(setupCredentials())) {
      iam.createUser(r -> r.userName(userName));
    }
  }

  public void deleteUser(String userName) {
    try (IamClient iam = iamClient(setupCredentials())) {
      iam.deleteUser(r -> r.userName(userName));
    }
  }

  /** Creates an access key for the user directly through the SDK (not through keywarden). */
  public Credentials createAccessKey(String userName) {
    try (IamClient iam = iamClient(setupCredentials())) {
      return toCredentials(iam.createAccessKey(r -> r.userName(userName)).accessKey());
    }
  }

  /** An SDK IAM client for this moto, signing with the given credentials. The caller closes it. */
  public IamClient iamClient(Credentials credentials) {
    return IamClient.builder()
        .region(Region.of(REGION))
        .endpointOverride(endpoint)
        .credentialsProvider(credentials.provider())
        .build();
  }

  @Override
  public void close() {
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private void stopProcess() {
    Processes.stop(process, Duration.ofSeconds(5));
    try {
      Files.deleteIfExists(log);
    } catch (IOException ignored) {
      // a temp file
    }
  }

  private void post(String path, String body) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(endpoint.resolve(path))
                  .timeout(Duration.ofSeconds(10))
                  // text/plain: moto reads the raw body; a form content type would hide it
                  .header("Content-Type", "text/plain")
                  .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Credentials toCredentials(AccessKey key) {
    return new Credentials(key.accessKeyId(), SecretValue.of(key.secretAccessKey()));
  }

  /** The last lines of moto's log (request lines and tracebacks; moto logs no secrets). */
  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
