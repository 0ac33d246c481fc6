package io.keywarden.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywarden.backend.SecretValue;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real MinIO client {@code mc} (built by {@code hack/build-minio.sh}) run against a {@link
 * MinioServer} as alias {@value #ALIAS}, configured only through {@code MC_HOST_<alias>} and a
 * private config directory: nothing from the machine's own {@code ~/.mc} is read. mc trusts the
 * CAs in that directory's {@code certs/CAs/}, where a TLS {@link MinioServer} puts its test CA.
 *
 * <p>Output can hold secret keys ({@code admin accesskey create}), so failures report mc's own
 * error messages (from its JSON), never its raw output.
 */
public final class Mc {

  public static final String ALIAS = "kw";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path mc;
  private final URI endpoint;
  private final String accessKey;
  private final SecretValue secretKey;
  private final SecretValue sessionToken;
  private final Path configDir;

  Mc(Path mc, URI endpoint, String accessKey, SecretValue secretKey, Path configDir) {
    this(mc, endpoint, accessKey, secretKey, null, configDir);
  }

  private Mc(Path mc, URI endpoint, String accessKey, SecretValue secretKey, SecretValue sessionToken, Path configDir) {
    this.mc = mc;
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.sessionToken = sessionToken;
    this.configDir = configDir;
  }

  /** The same mc signing with other credentials. */
  public Mc as(String otherAccessKey, SecretValue otherSecretKey) {
    return new Mc(mc, endpoint, otherAccessKey, otherSecretKey, null, configDir);
  }

  /** The same mc signing with temporary (STS) credentials. */
  public Mc as(String otherAccessKey, SecretValue otherSecretKey, SecretValue otherSessionToken) {
    return new Mc(mc, endpoint, otherAccessKey, otherSecretKey, otherSessionToken, configDir);
  }

  /** The same mc talking to another endpoint of the deployment (e.g. the one a keywarden Secret names). */
  public Mc at(URI otherEndpoint) {
    return new Mc(mc, otherEndpoint, accessKey, secretKey, configDir);
  }

  /** A finished run. {@code stdout} may hold a secret: never print it. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Exit code 0 and no error in the JSON: some commands (admin accesskey info) exit 0 on errors. */
    public boolean ok() {
      return exitCode == 0 && !reportsError(stdout);
    }

    /** mc's error message from its JSON output (never a secret), or stderr. */
    public String error() {
      for (JsonNode line : lines(stdout)) {
        JsonNode error = line.path("error");
        if (!error.isMissingNode()) {
          String cause = error.path("cause").path("message").asText("");
          return error.path("message").asText("") + (cause.isEmpty() ? "" : " (" + cause + ")");
        }
      }
      return stderr.strip();
    }

    @Override
    public String toString() {
      return "Mc.Result[exitCode=" + exitCode + ", error=" + error() + "]";
    }
  }

  /** Thrown when mc fails; the message holds its exit code and error message only. */
  public static final class McException extends RuntimeException {
    private final transient Result result;

    McException(List<String> args, Result result) {
      super("mc " + String.join(" ", args) + " exited with " + result.exitCode() + ": " + result.error());
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  /**
   * Runs {@code mc --json <args>} and returns its one JSON object; an alias argument is written
   * {@code kw} or {@code kw/bucket}.
   *
   * @throws McException when mc exits non-zero
   */
  public JsonNode json(String... args) {
    List<JsonNode> lines = jsonLines(args);
    if (lines.size() != 1) {
      throw new IllegalStateException("mc " + String.join(" ", args) + " printed " + lines.size() + " JSON objects, not 1");
    }
    return lines.get(0);
  }

  /** Runs {@code mc --json <args>} and returns every JSON object it printed (one per line). */
  public List<JsonNode> jsonLines(String... args) {
    Result r = run(args);
    if (!r.ok()) {
      throw new McException(List.of(args), r);
    }
    return lines(r.stdout());
  }

  /** Runs {@code mc --json --no-color <args>} and returns whatever happened. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>(List.of(mc.toString(), "--json", "--no-color"));
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile(configDir, "mc-out", ".json");
      err = Files.createTempFile(configDir, "mc-err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("MC_") || k.startsWith("MINIO_") || k.startsWith("AWS_"));
      env.put("MC_CONFIG_DIR", configDir.toString());
      env.put("MC_HOST_" + ALIAS, hostUrl());
      // mc reads --expiry dates without a zone in local time; tests give them in UTC
      env.put("TZ", "UTC");
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("mc " + String.join(" ", args) + " did not finish within 2 minutes");
      }
      return new Result(
          p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + mc, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  /**
   * {@code http://<access key>:<secret key>[:<session token>]@host:port}. mc cuts the keys out
   * with a regular expression and takes them verbatim (no percent-decoding), so they must not
   * contain ':' or '@'.
   */
  private String hostUrl() {
    String keys = accessKey + ":" + secretKey.reveal() + (sessionToken == null ? "" : ":" + sessionToken.reveal());
    if ((accessKey + secretKey.reveal()).chars().anyMatch(c -> c == ':' || c == '@') || keys.indexOf('@') >= 0) {
      throw new IllegalArgumentException("MC_HOST_ cannot carry keys with ':' or '@'");
    }
    return endpoint.getScheme() + "://" + keys + "@" + endpoint.getRawAuthority();
  }

  private static List<JsonNode> lines(String stdout) {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        nodes.add(JSON.readTree(line));
      } catch (IOException e) {
        // Jackson's message would quote the line, which may hold a secret.
        throw new IllegalStateException("mc printed a line that is not JSON");
      }
    }
    return nodes;
  }

  /** Whether mc printed a JSON error; other output (an object's content from cat) is not JSON and not an error. */
  private static boolean reportsError(String stdout) {
    for (String line : stdout.split("\n")) {
      if (line.startsWith("{")) {
        try {
          if ("error".equals(JSON.readTree(line).path("status").asText())) {
            return true;
          }
        } catch (IOException notJson) {
          // object content that happens to start with a brace
        }
      }
    }
    return false;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temp file
      }
    }
  }
}
