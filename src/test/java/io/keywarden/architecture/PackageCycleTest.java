package io.keywarden.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the operator depend on each other, directly or through others: each package
 * can be read, and changed, knowing only the packages below it. Dependencies are the imports of
 * src/main (fully qualified names in code count too).
 */
class PackageCycleTest {
  private static final Path MAIN = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package (io\\.keywarden[\\w.]*);");
  private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.keywarden(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void packagesFormNoCycle() {
    Map<String, Set<String>> uses = dependencies();
    assertThat(uses).containsKeys("io.keywarden.reconciler", "io.keywarden.backend", "io.keywarden.provider");
    List<List<String>> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      findCycle(start, start, uses, new ArrayList<>(List.of(start)), cycles);
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  private static void findCycle(String start, String at, Map<String, Set<String>> uses, List<String> path,
      List<List<String>> cycles) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        cycles.add(cycle);
      } else if (next.compareTo(start) > 0 && !path.contains(next)) {
        path.add(next);
        findCycle(start, next, uses, path, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  private static Map<String, Set<String>> dependencies() {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
        String source = withoutComments(read(file));
        Matcher pkg = PACKAGE.matcher(source);
        if (!pkg.find()) {
          return;
        }
        Set<String> used = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(source.substring(pkg.end()));
        while (reference.find()) {
          if (!reference.group(1).equals(pkg.group(1))) {
            used.add(reference.group(1));
          }
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static String withoutComments(String source) {
    return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
