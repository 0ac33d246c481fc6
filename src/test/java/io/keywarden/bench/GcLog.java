package io.keywarden.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures from a unified GC log ({@code -Xlog:gc}). Heap occupancy only falls at a collection,
 * so the largest "before" figure of the pauses is the peak heap use (sampling would miss it), and
 * the largest "after" figure is the most memory that was still live at once.
 */
record GcLog(long peakUsedBytes, long peakLiveBytes, long lastLiveBytes, int collections, double pauseSeconds,
    int fullCollections) {

  // "[1.234s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 3.456ms"
  private static final Pattern PAUSE = Pattern.compile(
      "GC\\(\\d+\\) Pause (\\w+).*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([0-9.]+)ms");

  static GcLog parse(String log) {
    long peakUsed = 0;
    long peakLive = 0;
    long lastLive = 0;
    int collections = 0;
    double pauseMillis = 0;
    int full = 0;
    for (String line : log.split("\n")) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      long before = bytes(m.group(2), m.group(3));
      long after = bytes(m.group(4), m.group(5));
      pauseMillis += Double.parseDouble(m.group(8));
      if (m.group(1).equals("Full")) {
        full++;
      }
      peakUsed = Math.max(peakUsed, before);
      peakLive = Math.max(peakLive, after);
      lastLive = after;
      collections++;
    }
    return new GcLog(peakUsed, peakLive, lastLive, collections, pauseMillis / 1000, full);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }

  /** Pauses since an earlier reading of the same log; peaks stay those of the whole log. */
  GcLog since(GcLog earlier) {
    return new GcLog(peakUsedBytes, peakLiveBytes, lastLiveBytes, collections - earlier.collections,
        pauseSeconds - earlier.pauseSeconds, fullCollections - earlier.fullCollections);
  }
}
