package io.keywarden.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a local node ({@link LocalNode}) may change on this machine, read from the kernel and the
 * file system, so that a test can compare it before and after the node ran. Only state that the
 * other work on a shared machine leaves alone is compared: mounts, network interfaces, iptables
 * rules and nftables tables, the sysctls Kubernetes components set, the host paths they create, the kubelet's cgroups.
 */
public record HostState(
    Set<String> mounts,
    Set<String> interfaces,
    Set<String> iptablesRules,
    Map<String, String> sysctls,
    Set<String> hostPaths,
    Set<String> podCgroups) {

  private static final List<String> SYSCTLS = List.of(
      "vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
      "kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes", "net/ipv4/ip_forward",
      "net/ipv4/conf/all/route_localnet", "net/ipv4/conf/all/forwarding", "net/ipv6/conf/all/forwarding",
      "net/bridge/bridge-nf-call-iptables", "net/bridge/bridge-nf-call-ip6tables",
      "net/netfilter/nf_conntrack_max", "net/netfilter/nf_conntrack_tcp_timeout_established",
      "net/netfilter/nf_conntrack_tcp_timeout_close_wait");
  private static final List<String> HOST_PATHS = List.of(
      "/var/lib/kubelet", "/var/log/containers", "/var/log/pods", "/var/lib/cni", "/run/containerd",
      "/run/netns", "/etc/cni", "/run/keywarden-node");

  public static HostState read() {
    Set<String> mounts = lines(Path.of("/proc/self/mountinfo")).stream()
        .map(line -> line.split(" ")[4])
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> interfaces;
    try (Stream<Path> links = Files.list(Path.of("/sys/class/net"))) {
      interfaces = links.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Set<String> rules = new TreeSet<>();
    rules.addAll(run("nft", "list", "tables").lines().map(t -> "nft " + t).toList());
    for (String save : List.of("iptables-save", "ip6tables-save")) {
      for (String line : run(save).lines().toList()) {
        if (!line.startsWith("#") && !line.isBlank()) {
          rules.add(save + " " + line.replaceAll("\\[\\d+:\\d+\\]", "")); // without packet counters
        }
      }
    }
    Map<String, String> sysctls = new TreeMap<>();
    for (String name : SYSCTLS) {
      Path p = Path.of("/proc/sys").resolve(name);
      sysctls.put(name, Files.exists(p) ? String.join("", lines(p)) : "(absent)");
    }
    Set<String> hostPaths = HOST_PATHS.stream().filter(p -> Files.exists(Path.of(p)))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> podCgroups = new TreeSet<>();
    try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
      controllers.map(c -> c.resolve("kubepods")).filter(Files::isDirectory)
          .forEach(p -> podCgroups.add(p.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new HostState(mounts, interfaces, rules, sysctls, hostPaths, podCgroups);
  }

  /** Processes whose command line names {@code needle} (other than this JVM). */
  public static List<String> processesMentioning(String needle) {
    List<String> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(p -> p.info().commandLine()
            .filter(c -> c.contains(needle))
            .ifPresent(c -> found.add(p.pid() + " " + c)));
    return found;
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
