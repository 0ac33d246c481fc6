package io.keywarden.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GcLogTest {
  static final long M = 1L << 20;

  static Stream<Arguments> logs() {
    return Stream.of(
        Arguments.of("no collection yet", "[0.010s][info][gc] Using G1\n", 0L, 0L, 0L, 0, 0.0, 0),
        Arguments.of("young and full pauses",
            """
            [0.010s][info][gc] Using G1
            [1.234s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 3.456ms
            [2.000s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 200M->150M(256M) 5.1ms
            [2.100s][info][gc] GC(2) Concurrent Mark Cycle
            [2.300s][info][gc] GC(2) Pause Remark 160M->90M(256M) 1.0ms
            [2.400s][info][gc] GC(4) To-space exhausted
            [3.000s][info][gc] GC(3) Pause Full (System.gc()) 40M->12M(64M) 20.0ms
            """, 200 * M, 150 * M, 12 * M, 4, 0.029556, 1),
        Arguments.of("kilobytes and gigabytes",
            "[1s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 2G->512K(4G) 9ms\n",
            2L << 30, 512L << 10, 512L << 10, 1, 0.009, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("logs")
  void readsPauses(String why, String log, long peakUsed, long peakLive, long lastLive, int collections,
      double pauseSeconds, int full) {
    GcLog parsed = GcLog.parse(log);
    assertThat(parsed.peakUsedBytes()).isEqualTo(peakUsed);
    assertThat(parsed.peakLiveBytes()).isEqualTo(peakLive);
    assertThat(parsed.lastLiveBytes()).isEqualTo(lastLive);
    assertThat(parsed.collections()).isEqualTo(collections);
    assertThat(parsed.pauseSeconds()).isCloseTo(pauseSeconds, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(parsed.fullCollections()).isEqualTo(full);
  }
}
