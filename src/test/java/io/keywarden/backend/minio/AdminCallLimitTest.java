package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminCallLimitTest {
  static final long MIB = 1024 * 1024;

  @ParameterizedTest(name = "{0} MiB heap, setting {1}: {2} calls")
  @CsvSource({
      "128, , 1", "256, , 1", "431, , 1", "432, , 2", "460, , 2", "527, , 2", "528, , 3", "624, , 4", "4096, , 4",
      "256, 3, 3", "460, 0, 2", "4096, '', 4"})
  void minioAdminCallsFitTheHeap(long heapMib, String setting, int expected) {
    Map<String, String> env = setting == null ? Map.of() : Map.of("KEYWARDEN_MINIO_ADMIN_CALLS", setting);
    assertThat(AdminCallLimit.forHeap(env, heapMib * MIB)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "setting {0} is refused")
  @CsvSource({"-1", "two", "1.5"})
  void minioAdminCallsRefuseWhatIsNotACount(String setting) {
    assertThatThrownBy(() -> AdminCallLimit.forHeap(Map.of("KEYWARDEN_MINIO_ADMIN_CALLS", setting), 512 * MIB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEYWARDEN_MINIO_ADMIN_CALLS")
        .hasMessageContaining(setting);
  }

  @Test
  void callsReuseTheArgon2MemoryOfEarlierCalls() throws InterruptedException {
    AdminCallLimit limit = new AdminCallLimit(2);
    long[] first;
    long[] second;
    try (AdminCallLimit.Call one = limit.tryAcquire(Duration.ZERO);
        AdminCallLimit.Call two = limit.tryAcquire(Duration.ZERO)) {
      assertThat(limit.tryAcquire(Duration.ZERO)).as("a third call at once").isNull();
      first = one.argon2Memory();
      second = two.argon2Memory();
      assertThat(one.argon2Memory()).isSameAs(first);
      assertThat(first).isNotSameAs(second).hasSize(Argon2id.MADMIN.memoryWords());
    }
    try (AdminCallLimit.Call three = limit.tryAcquire(Duration.ZERO);
        AdminCallLimit.Call four = limit.tryAcquire(Duration.ZERO)) {
      long[] third = three.argon2Memory();
      long[] fourth = four.argon2Memory();
      assertThat(third == first && fourth == second || third == second && fourth == first)
          .as("the later calls took the buffers the earlier ones left")
          .isTrue();
    }
  }
}
