package io.keywarden.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md lists every condition reason and event reason the operator can write,
 * and nothing else: the reasons are read from the main sources where they are set (a condition, a
 * SpecProblem or Failure, an event), so a new reason without a line on the page fails here.
 */
class TroubleshootingDocTest {
  static final Path PAGE = Path.of("docs", "troubleshooting.md");
  static final Path SOURCES = Path.of("src", "main", "java");

  /** A reason: one CamelCase word in quotes. */
  static final Pattern REASON = Pattern.compile("\"([A-Z][a-z]+(?:[A-Z][a-z]*)*)\"");
  /** Calls whose CamelCase string arguments are reasons; the argument list runs to the statement's end. */
  static final Pattern REASON_CALLS = Pattern.compile(
      "(?:new (?:SpecProblem|Failure)|Conditions\\.set|events\\.(?:normal|warning)|\\bissue)\\(([^;]*);", Pattern.DOTALL);
  /** A switch arm mapping an error to a reason, in a class that sets conditions. */
  static final Pattern REASON_ARMS = Pattern.compile("(?:case [A-Z_, ]+|default) -> (\"[A-Z][A-Za-z]+\");");
  static final Set<String> NOT_REASONS = Set.of("True", "False", "Normal", "Warning", "Ready", "Rotating");
  /** Backticked first cells of the page's table rows. */
  /** Reasons a condition class names as constants (RotatingCondition): the constant's value. */
  static final Pattern REASON_CONSTANTS = Pattern.compile("static final String [A-Z_]+ = (\"[A-Z][A-Za-z]+\");");
  static final Pattern DOCUMENTED = Pattern.compile("(?m)^\\| `([A-Z][A-Za-z]+)` \\|");

  @Test
  void everyReasonAndEventInTheCodeIsOnThePage() throws IOException {
    Set<String> inCode = reasonsInCode();
    assertThat(inCode).as("the scan finds the reasons it must (else the patterns broke)")
        .contains("InvalidSpec", "KeyActive", "GracePeriod", "CredentialsValid", "BackendRejected", "Created",
            "Activated", "Deactivated", "Issued", "PolicyNotFound", "InternalError");
    assertThat(documented()).containsAll(inCode);
  }

  @Test
  void thePageListsNoReasonTheCodeLacks() throws IOException {
    assertThat(reasonsInCode()).containsAll(documented());
  }

  static Set<String> documented() throws IOException {
    Set<String> found = new TreeSet<>();
    Matcher m = DOCUMENTED.matcher(Files.readString(PAGE));
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static Set<String> reasonsInCode() throws IOException {
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
        String source = read(f);
        collect(REASON_CALLS.matcher(source), found);
        if (f.getFileName().toString().endsWith("Condition.java")) {
          collect(REASON_CONSTANTS.matcher(source), found);
        }
        if (source.contains("Conditions.READY")) {
          collect(REASON_ARMS.matcher(source), found);
        }
      });
    }
    found.removeAll(NOT_REASONS);
    return found;
  }

  private static void collect(Matcher calls, Set<String> into) {
    while (calls.find()) {
      Matcher reason = REASON.matcher(calls.group(1));
      while (reason.find()) {
        into.add(reason.group(1));
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
