package io.keywarden.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI v1 ({@code aws}, PyPI awscli, pinned in {@code hack/python-tools.sh}) run
 * against a {@link MotoServer}, with the credentials given and nothing from the machine's own AWS
 * configuration.
 *
 * <p>Output can hold secret keys ({@code create-access-key}), so a failure message carries the
 * CLI's exit code and standard error only, never its standard output.
 */
public final class AwsCli {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path aws;
  private final MotoServer moto;
  private final MotoServer.Credentials credentials;

  public AwsCli(MotoServer moto, MotoServer.Credentials credentials) {
    this.aws = PythonTools.binDir().resolve("aws");
    this.moto = moto;
    this.credentials = credentials;
  }

  /** The same CLI signing with other credentials. */
  public AwsCli as(MotoServer.Credentials other) {
    return new AwsCli(moto, other);
  }

  /** A finished run. {@code stdout} may hold a secret: never print it. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    @Override
    public String toString() {
      return "AwsCli.Result[exitCode=" + exitCode + ", stderr=" + stderr.strip() + "]";
    }
  }

  /** Thrown when the CLI fails; the message holds its exit code and standard error only. */
  public static final class AwsCliException extends RuntimeException {
    private final Result result;

    AwsCliException(List<String> args, Result result) {
      super("aws " + String.join(" ", args) + " exited with " + result.exitCode() + ": " + result.stderr().strip());
      this.result = result;
    }

    public Result result() {
      return result;
    }
  }

  /**
   * Runs {@code aws <args>} and parses its JSON output; {@link MissingNode} when it prints nothing
   * (e.g. {@code update-access-key}).
   *
   * @throws AwsCliException when the CLI exits non-zero
   */
  public JsonNode json(String... args) {
    Result r = run(args);
    if (!r.ok()) {
      throw new AwsCliException(List.of(args), r);
    }
    if (r.stdout().isBlank()) {
      return MissingNode.getInstance();
    }
    try {
      return JSON.readTree(r.stdout());
    } catch (IOException e) {
      // Jackson's message quotes the input, which may hold a secret: say only where it failed.
      throw new IllegalStateException("aws " + String.join(" ", args) + " printed no JSON");
    }
  }

  /** Runs {@code aws --endpoint-url <moto> --output json <args>} and returns whatever happened. */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(aws.toString());
    command.add("--endpoint-url");
    command.add(moto.endpoint().toString());
    command.add("--output");
    command.add("json");
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("aws-cli-out", ".json");
      err = Files.createTempFile("aws-cli-err", ".txt");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("AWS_"));
      Path nowhere = out.resolveSibling("keywarden-no-aws-config");
      env.put("AWS_CONFIG_FILE", nowhere.toString());
      env.put("AWS_SHARED_CREDENTIALS_FILE", nowhere.toString());
      env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
      env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey().reveal());
      env.put("AWS_DEFAULT_REGION", MotoServer.REGION);
      env.put("AWS_REGION", MotoServer.REGION);
      env.put("AWS_EC2_METADATA_DISABLED", "true");
      env.put("AWS_PAGER", "");
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("aws " + String.join(" ", args) + " did not finish within 2 minutes");
      }
      return new Result(
          p.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + aws, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // temp file
      }
    }
  }
}
