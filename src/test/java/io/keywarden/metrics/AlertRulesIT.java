package io.keywarden.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywarden.testsupport.HackScript;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The chart's alert rules with the real promtool: valid rules, and the unit tests in src/test/promtool pass. */
@Tag("it")
class AlertRulesIT {
  static Path promtool;

  record Run(int exit, String output) {}

  @BeforeAll
  static void build() {
    String script = "hack/build-promtool.sh";
    promtool = HackScript.lastLineDirectory(HackScript.run(script, Duration.ofMinutes(60)), script).resolve("promtool");
  }

  @Test
  void theRulesAreValid() {
    Run check = promtool("check", "rules", MonitoringFilesTest.ALERTS.toString());
    assertThat(check.exit()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: 4 rules found");
  }

  @Test
  void theRuleTestsPass() {
    Run test = promtool("test", "rules", "src/test/promtool/alerts.test.yaml");
    assertThat(test.exit()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  private static Run promtool(String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(promtool.toString()));
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(process.waitFor(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
