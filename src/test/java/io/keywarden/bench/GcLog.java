package io.keywarden.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Heap figures from a unified GC log ({@code -Xlog:gc}). Heap occupancy only falls at a collection,
 * so the largest "before" figure of the pauses is the peak heap use (sampling would miss it), and
 * the largest "after" figure is the most memory that was still live at once.
 */
record GcLog(long peakUsedBytes, long peakLiveBytes, long lastLiveBytes, int collections) {

  // "[1.234s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 3.456ms"
  private static final Pattern PAUSE = Pattern.compile("GC\\(\\d+\\) Pause .*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  static GcLog parse(String log) {
    long peakUsed = 0;
    long peakLive = 0;
    long lastLive = 0;
    int collections = 0;
    for (String line : log.split("\n")) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      long before = bytes(m.group(1), m.group(2));
      long after = bytes(m.group(3), m.group(4));
      peakUsed = Math.max(peakUsed, before);
      peakLive = Math.max(peakLive, after);
      lastLive = after;
      collections++;
    }
    return new GcLog(peakUsed, peakLive, lastLive, collections);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
