package io.keywarden.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetLimitTest {

  @ParameterizedTest(name = "''{0}'': aws {1}/s (burst {2}), minio {3}/s, outscale {4}/s")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          ''                              | 10.0 | 20 | 20.0 | 5.0
          '  '                            | 10.0 | 20 | 20.0 | 5.0
          aws=3                           | 3.0  | 6  | 20.0 | 5.0
          'outscale=2, aws = 0.5'         | 0.5  | 1  | 20.0 | 2.0
          'minio=100,aws=10,outscale=1'   | 10.0 | 20 | 100.0 | 1.0
          aws=0.2                         | 0.2  | 1  | 20.0 | 5.0
          """)
  void defaultsPerBackendOverriddenByTheSetting(String setting, double aws, int awsBurst, double minio, double outscale) {
    Map<String, BudgetLimit> limits = BudgetLimit.fromEnvironment(Map.of(BudgetLimit.ENV, setting));

    assertThat(limits.get("aws").callsPerSecond()).isEqualTo(aws);
    assertThat(limits.get("aws").burst()).isEqualTo(awsBurst);
    assertThat(limits.get("minio").callsPerSecond()).isEqualTo(minio);
    assertThat(limits.get("outscale").callsPerSecond()).isEqualTo(outscale);
  }

  @ParameterizedTest(name = "''{0}'' is refused: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          aws                  | expected backend=callsPerSecond
          gcp=3                | got 'gcp=3'
          aws=fast             | aws needs a number of calls per second, got 'fast'
          aws=0                | aws needs a positive number
          aws=-1               | aws needs a positive number
          aws=NaN              | aws needs a positive number
          aws=Infinity         | aws needs a positive number
          'aws=3,,minio=2'     | got ''
          """)
  void aSettingThatCannotBeReadIsRefusedNamingTheVariable(String setting, String problem) {
    assertThatThrownBy(() -> BudgetLimit.fromEnvironment(Map.of(BudgetLimit.ENV, setting)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(BudgetLimit.ENV)
        .hasMessageContaining(problem);
  }

  @ParameterizedTest
  @CsvSource({"aws", "minio", "outscale"})
  void withoutTheSettingEveryBackendHasItsDefault(String backend) {
    assertThat(BudgetLimit.fromEnvironment(Map.of()).get(backend).callsPerSecond())
        .isEqualTo(BudgetLimit.DEFAULTS.get(backend));
  }
}
