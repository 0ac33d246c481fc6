package io.keywarden.backend.minio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AdminCallLimitTest {
  static final long MIB = 1024 * 1024;

  @ParameterizedTest(name = "{0} MiB heap, setting {1}: {2} calls")
  @CsvSource({
      "128, , 1", "256, , 1", "358, , 1", "512, , 2", "700, , 3", "4096, , 4", "256, 3, 3"})
  void minioAdminCallsFitTheHeap(long heapMib, String setting, int expected) {
    Map<String, String> env = setting == null ? Map.of() : Map.of("KEYWARDEN_MINIO_ADMIN_CALLS", setting);
    assertThat(AdminCallLimit.forHeap(env, heapMib * MIB)).isEqualTo(expected);
  }
}
