package io.keywarden.testsupport.outscale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The official Outscale clients, unmodified, pointed at an {@link OapiStandIn}: {@code osc-cli}
 * (PyPI osc-sdk) and the Python SDK (PyPI osc-sdk-python), from {@code hack/outscale-tools.sh}.
 *
 * <p>Each run gets a fresh HOME whose {@code ~/.osc/config.json} has one profile, {@code default},
 * with the stand-in's root access key, region and endpoint, and an environment without any
 * {@code OSC_*} variable of the machine. Output can hold secret keys, so a {@link Result} prints
 * only its exit code and standard error.
 */
public final class OfficialClients {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OapiStandIn standIn;
  private final Path bin;

  public OfficialClients(OapiStandIn standIn) {
    this.standIn = standIn;
    this.bin = OutscaleTools.get().binDir();
  }

  /** A finished run. {@code stdout} may hold a secret: never print it. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** The JSON the client printed. */
    public JsonNode json() {
      try {
        return JSON.readTree(stdout);
      } catch (IOException e) {
        // Jackson's message would quote the output, which may hold a secret.
        throw new IllegalStateException("the client printed no JSON (exit " + exitCode + ")");
      }
    }

    @Override
    public String toString() {
      return "Result[exitCode=" + exitCode + ", stderr=" + stderr.strip() + "]";
    }
  }

  /**
   * Runs a shell command line as a person would type it (the reference page's {@code osc-cli api
   * ...} commands verbatim), with the venv's bin directory first on PATH and {@code extraEnv} set
   * (e.g. {@code OSC_EMAIL}, {@code OSC_PASSWORD}, which the page's commands expand).
   */
  public Result shell(String commandLine, Map<String, String> extraEnv) {
    return run(List.of("bash", "-c", commandLine), extraEnv);
  }

  /**
   * Runs a Python program with the official SDK importable. The SDK is configured the documented
   * way, by environment: {@code OSC_ENDPOINT_API}, {@code OSC_REGION} and {@code extraEnv} (e.g.
   * {@code OSC_ACCESS_KEY}/{@code OSC_SECRET_KEY} or {@code OSC_LOGIN}/{@code OSC_PASSWORD}).
   */
  public Result python(String program, Map<String, String> extraEnv) {
    return run(List.of(bin.resolve("python").toString(), "-c", program), extraEnv);
  }

  private Result run(List<String> command, Map<String, String> extraEnv) {
    Path home = null;
    try {
      home = Files.createTempDirectory("osc-home");
      Path config = Files.createDirectories(home.resolve(".osc")).resolve("config.json");
      OapiStandIn.Credentials root = standIn.rootCredentials();
      Map<String, Object> profile =
          Map.of(
              "access_key", root.accessKeyId(),
              "secret_key", root.secretKey().reveal(),
              "region", OapiStandIn.REGION,
              "endpoint", standIn.origin().toString());
      Files.writeString(config, JSON.writeValueAsString(Map.of("default", profile)));
      Path out = home.resolve("stdout");
      Path err = home.resolve("stderr");
      ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.keySet().removeIf(k -> k.startsWith("OSC_"));
      env.put("HOME", home.toString());
      env.put("PATH", bin + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
      env.put("OSC_ENDPOINT_API", standIn.endpoint().toString());
      env.put("OSC_REGION", OapiStandIn.REGION);
      env.putAll(extraEnv);
      Process p = pb.start();
      p.getOutputStream().close();
      if (!p.waitFor(2, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish within 2 minutes");
      }
      return new Result(
          p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      deleteTree(home);
    }
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp dir
    }
  }
}
