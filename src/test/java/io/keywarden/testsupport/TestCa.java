package io.keywarden.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away private CA made with the {@code openssl} CLI: its certificate, and server
 * certificates it signs for 127.0.0.1, written where MinIO looks for them ({@code public.crt} and
 * {@code private.key} in its certs directory). Keys stay in the given directory; nothing is logged.
 */
public final class TestCa {

  private static final String OPENSSL = "openssl";

  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  /** A new CA (P-256, two days) whose key and certificate are kept in {@code dir}. */
  public static TestCa create(Path dir, String name) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir, e);
    }
    TestCa ca = new TestCa(dir);
    openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=" + name,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
    return ca;
  }

  /** The CA certificate, PEM. */
  public String certificatePem() {
    try {
      return Files.readString(dir.resolve("ca.crt"), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the CA certificate", e);
    }
  }

  /**
   * Signs a server certificate for IP 127.0.0.1 (the name MinioServer's endpoint uses) and writes
   * it with its key into {@code certsDir} as {@code public.crt} and {@code private.key}.
   */
  public void issueServerCertificate(Path certsDir) {
    Path ext = dir.resolve("server.ext");
    try {
      Files.createDirectories(certsDir);
      Files.writeString(ext, "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n"
          + "keyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the server certificate", e);
    }
    openssl(dir, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", certsDir.resolve("private.key").toString(), "-out", "server.csr", "-subj", "/CN=127.0.0.1");
    openssl(dir, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "2", "-extfile", ext.toString(), "-out", certsDir.resolve("public.crt").toString());
  }

  /** Runs openssl in {@code dir}; on failure only its error output (no key material) is reported. */
  private static void openssl(Path dir, String... args) {
    List<String> command = new ArrayList<>(List.of(OPENSSL));
    command.addAll(List.of(args));
    try {
      Path err = Files.createTempFile(dir, "openssl", ".err");
      Process p = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(1, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("openssl " + args[0] + " did not finish within a minute");
      }
      String errors = Files.readString(err);
      Files.delete(err);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("openssl " + args[0] + " exited with " + p.exitValue() + ": " + errors.strip());
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run openssl", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
