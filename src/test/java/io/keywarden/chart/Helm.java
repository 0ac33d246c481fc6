package io.keywarden.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The helm CLI that {@code hack/build-helm.sh} builds, run on charts/keywarden. */
public final class Helm {
  static final Path CHART = Path.of("charts", "keywarden");

  private static Path binary;

  private Helm() {}

  static Cli.Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary().toString());
    command.addAll(List.of(args));
    return Cli.run(command);
  }

  /** {@code helm template} of the chart, parsed; fails the test when helm fails. */
  public static List<HasMetadata> template(String release, String namespace, String... args) {
    return parse(templateYaml(release, namespace, args));
  }

  static String templateYaml(String release, String namespace, String... args) {
    List<String> command = new ArrayList<>(List.of("template", release, CHART.toString(), "--namespace", namespace));
    command.addAll(List.of(args));
    Cli.Result result = run(command.toArray(String[]::new));
    if (result.exitCode() != 0) {
      throw new AssertionError("helm " + String.join(" ", command) + " failed:\n" + result.stderr());
    }
    return result.stdout();
  }

  /** Every document of a YAML stream. */
  static List<HasMetadata> parse(String yaml) {
    Object parsed = Serialization.unmarshal(yaml);
    if (parsed instanceof List<?> list) {
      return list.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) parsed);
  }

  /** Writes YAML to a temporary file, for --values or kubectl apply -f. */
  static String tempFile(String yaml) {
    try {
      Path file = Files.createTempFile("keywarden-chart-", ".yaml");
      file.toFile().deleteOnExit();
      return Files.writeString(file, yaml).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path binary() {
    if (binary == null) {
      binary = Path.of(Cli.lastLineOf("hack/build-helm.sh"), "helm");
    }
    return binary;
  }
}
