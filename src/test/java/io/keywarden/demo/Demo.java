package io.keywarden.demo;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.keywarden.api.v1alpha1.AccessKey;
import io.keywarden.api.v1alpha1.AccessKeyProvider;
import io.keywarden.reconciler.Conditions;
import io.keywarden.secret.SecretRenderer;
import io.keywarden.testsupport.AwsCli;
import io.keywarden.testsupport.AwsOnRealCluster;
import io.keywarden.backend.SecretValue;
import io.keywarden.testsupport.Edits;
import io.keywarden.testsupport.LocalControlPlane;
import io.keywarden.testsupport.Mc;
import io.keywarden.testsupport.MinioServer;
import io.keywarden.testsupport.MotoServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code make demo}: keywarden's main job on a machine without a cluster. Starts a real
 * kube-apiserver + etcd and moto (as the AWS backend), installs the CRDs with kubectl, runs the
 * packaged operator, applies {@code deploy/examples/aws.yaml} and {@code minio.yaml} (on a real
 * MinIO), waits for every AccessKey to be Ready, proves each published key with a real S3 call,
 * rotates one key and shows the old one refused after the grace period, prints a summary (the
 * operator's log goes to a file) and cleans up.
 */
public final class Demo {
  private static final String NAMESPACE = "demo";

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]);
    say("starting a local control plane (kube-apiserver + etcd, built once into ~/.cache/keywarden)");
    try (LocalControlPlane plane = LocalControlPlane.start(); MotoServer moto = MotoServer.start();
        MinioServer minio = MinioServer.start()) {
      KubernetesClient client = plane.client();
      kubectl(plane, "apply", "-f", "crds/");
      kubectl(plane, "create", "namespace", NAMESPACE);

      MotoServer.Credentials admin = moto.adminCredentials();
      moto.enableAuthentication();
      say("moto (AWS IAM, STS and S3) on " + moto.endpoint());

      say("MinIO on " + minio.endpoint());
      prepareMinio(minio);
      // the backends that run here: AWS (on moto) and MinIO
      kubectl(plane, "apply", "-n", NAMESPACE, "-f", "deploy/examples/aws.yaml", "-f", "deploy/examples/minio.yaml");
      for (AccessKey example : client.resources(AccessKey.class).inNamespace(NAMESPACE).list().getItems()) {
        if (example.getSpec().user != null && example.getSpec().provider.name.equals("aws")) {
          moto.createUser(example.getSpec().user);
          try (var iam = moto.iamClient(admin)) { // moto enforces IAM policies: let the demo users use S3
            iam.putUserPolicy(r -> r.userName(example.getSpec().user).policyName("demo-s3").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"));
          }
        }
      }
      pointProvidersAtMoto(client, moto, admin);
      pointProvidersAtMinio(client, minio);

      Path log = Path.of("target", "demo-operator.log").toAbsolutePath();
      say("starting the operator: java -jar " + jar + " (its log: " + log + ")");
      ProcessBuilder builder = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()))
          .redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("KUBECONFIG", plane.kubeconfigPath());
      builder.environment().put("KEYWARDEN_WATCH_NAMESPACES", NAMESPACE);
      builder.environment().put("KEYWARDEN_HEALTH_PORT", Integer.toString(freePort()));
      builder.environment().put("KEYWARDEN_METRICS_PORT", Integer.toString(freePort()));
      Process operator = builder.start();
      Runtime.getRuntime().addShutdownHook(new Thread(operator::destroy)); // Ctrl-C cleans up too

      List<String> names = client.resources(AccessKey.class).inNamespace(NAMESPACE).list().getItems().stream()
          .map(ak -> ak.getMetadata().getName()).toList();
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      List<String[]> rows = new ArrayList<>();
      for (String name : names) {
        AccessKey ready = awaitReady(client, name, deadline);
        Secret secret = client.secrets().inNamespace(NAMESPACE).withName(SecretRenderer.secretName(ready)).get();
        boolean works = providerKind(client, ready).equals("minio")
            ? minio.mc().as(AwsOnRealCluster.value(secret, "AWS_ACCESS_KEY_ID"),
                SecretValue.of(AwsOnRealCluster.value(secret, "AWS_SECRET_ACCESS_KEY"))).run("cat", Mc.ALIAS + "/data/hello.txt").ok()
            : awsWorks(moto, secret, name);
        rows.add(new String[] {name, ready.getStatus().user, ready.getStatus().accessKeyId,
            ready.getStatus().expiresAt == null ? "never" : ready.getStatus().expiresAt,
            works ? "S3 call OK" : "S3 call FAILED"});
      }
      System.out.println();
      System.out.printf("%-20s %-12s %-22s %-22s %s%n", "ACCESSKEY", "USER", "ACCESS KEY", "EXPIRES", "PROOF");
      rows.forEach(r -> System.out.printf("%-20s %-12s %-22s %-22s %s%n", (Object[]) r));
      boolean allWork = !rows.isEmpty() && rows.stream().allMatch(r -> r[4].equals("S3 call OK"));
      System.out.println();
      boolean rotated = allWork && rotation(client, moto, "bob");
      operator.destroy();
      say(allWork && rotated ? "every key works and the rotation retired the old key; cleaning up"
          : "something failed (see " + log + "); cleaning up");
      if (!allWork || !rotated) {
        System.exit(1);
      }
    }
  }

  /**
   * Rotates an AWS key with a short grace period and shows each step: a new key in the same
   * Secret, both keys working during the grace period, then the old one refused.
   */
  private static boolean rotation(KubernetesClient client, MotoServer moto, String name) throws InterruptedException {
    Duration grace = Duration.ofSeconds(30);
    AccessKey before = client.resources(AccessKey.class).inNamespace(NAMESPACE).withName(name).get();
    Secret oldSecret = client.secrets().inNamespace(NAMESPACE).withName(SecretRenderer.secretName(before)).get();
    MotoServer.Credentials oldKey = AwsOnRealCluster.credentialsIn(oldSecret);
    say("rotating " + name + " now (keywarden.io/rotate) with a grace period of " + grace.toSeconds() + "s");
    Edits.patch(client, NAMESPACE, name, "{\"metadata\":{\"annotations\":{\"" + AccessKey.ROTATE_ANNOTATION + "\":\""
        + Instant.now() + "\"}},\"spec\":{\"rotation\":{\"gracePeriod\":\"" + grace.toSeconds() + "s\"}}}");
    AccessKey rotated = await(client, name, ak -> ak.getStatus().revision != null
        && ak.getStatus().revision > before.getStatus().revision && ak.getStatus().previousAccessKeyId != null,
        Instant.now().plus(Duration.ofMinutes(2)));
    Secret newSecret = client.secrets().inNamespace(NAMESPACE).withName(SecretRenderer.secretName(rotated)).get();
    MotoServer.Credentials newKey = AwsOnRealCluster.credentialsIn(newSecret);
    boolean newWorks = s3Works(moto, newKey);
    boolean oldWorksInGrace = s3Works(moto, oldKey);
    String retireAt = rotated.getStatus().previousRetireAt;
    AccessKey retired = await(client, name, ak -> ak.getStatus().previousAccessKeyId == null,
        Instant.now().plus(grace).plus(Duration.ofMinutes(2)));
    boolean oldRefusedAfter = !s3Works(moto, oldKey);

    System.out.printf("%-44s %s%n", "access key in Secret " + newSecret.getMetadata().getName(),
        oldKey.accessKeyId() + " -> " + newKey.accessKeyId());
    System.out.printf("%-44s %d -> %d%n", "revision", before.getStatus().revision, retired.getStatus().revision);
    System.out.printf("%-44s %s%n", "new key", newWorks ? "S3 call OK" : "S3 call FAILED");
    System.out.printf("%-44s %s%n", "old key during the grace period", oldWorksInGrace ? "S3 call OK" : "S3 call FAILED");
    System.out.printf("%-44s %s%n", "old key after the grace period (" + retireAt + ")",
        oldRefusedAfter ? "refused, as it should be" : "STILL WORKS");
    System.out.println();
    return newWorks && oldWorksInGrace && oldRefusedAfter && !newKey.accessKeyId().equals(oldKey.accessKeyId());
  }

  private static boolean s3Works(MotoServer moto, MotoServer.Credentials credentials) {
    return new AwsCli(moto, credentials).run("s3api", "list-buckets").ok();
  }

  private static AccessKey await(KubernetesClient client, String name, java.util.function.Predicate<AccessKey> done,
      Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      AccessKey ak = client.resources(AccessKey.class).inNamespace(NAMESPACE).withName(name).get();
      if (ak != null && ak.getStatus() != null && done.test(ak)) {
        return ak;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("AccessKey " + name + " did not get there in time");
  }

  /** An S3 call on moto signed with the key: create a bucket, list buckets. */
  private static boolean awsWorks(MotoServer moto, Secret secret, String name) {
    String bucket = "keywarden-demo-" + name.toLowerCase().replaceAll("[^a-z0-9-]", "-");
    AwsCli asWorkload = new AwsCli(moto, AwsOnRealCluster.credentialsIn(secret));
    return asWorkload.run("s3api", "create-bucket", "--bucket", bucket).ok() && asWorkload.run("s3api", "list-buckets").ok();
  }

  private static String providerKind(KubernetesClient client, AccessKey accessKey) {
    AccessKeyProvider provider = client.resources(AccessKeyProvider.class).inNamespace(NAMESPACE)
        .withName(accessKey.getSpec().provider.name).get();
    return provider.getSpec().minio != null ? "minio" : "aws";
  }

  /** The users the MinIO example names, and an object every example key may read. */
  private static void prepareMinio(MinioServer minio) {
    for (String user : List.of("myaistoruser", "aistoruser", "tester")) {
      minio.createUser(user, "readwrite");
    }
    Mc root = minio.mc();
    root.run("mb", Mc.ALIAS + "/data");
    root.run("cp", minio.writeFile("hello.txt", "hello from keywarden").toString(), Mc.ALIAS + "/data/hello.txt");
  }

  /** The MinIO example points at minio.example.com with placeholder credentials; the demo uses its own MinIO. */
  private static void pointProvidersAtMinio(KubernetesClient client, MinioServer minio) {
    for (AccessKeyProvider provider : client.resources(AccessKeyProvider.class).inNamespace(NAMESPACE).list().getItems()) {
      if (provider.getSpec().minio == null) {
        continue;
      }
      client.resources(AccessKeyProvider.class).inNamespace(NAMESPACE).withName(provider.getMetadata().getName())
          .edit(p -> {
            p.getSpec().minio.endpoint = minio.endpoint().toString();
            return p;
          });
      client.secrets().inNamespace(NAMESPACE).withName(provider.getSpec().minio.credentials.secretRef.name).edit(s -> {
        s.setStringData(Map.of("AWS_ACCESS_KEY_ID", minio.rootCredentials().accessKey(),
            "AWS_SECRET_ACCESS_KEY", minio.rootCredentials().secretKey().reveal()));
        s.setData(null);
        return s;
      });
    }
  }

  /** The examples ship with AWS endpoints and placeholder credentials; the demo uses moto instead. */
  private static void pointProvidersAtMoto(KubernetesClient client, MotoServer moto, MotoServer.Credentials admin) {
    for (AccessKeyProvider provider : client.resources(AccessKeyProvider.class).inNamespace(NAMESPACE).list().getItems()) {
      if (provider.getSpec().aws == null) {
        continue;
      }
      client.resources(AccessKeyProvider.class).inNamespace(NAMESPACE).withName(provider.getMetadata().getName())
          .edit(p -> {
            p.getSpec().aws.endpoint = moto.endpoint().toString();
            return p;
          });
      if (provider.getSpec().aws.credentials != null && provider.getSpec().aws.credentials.secretRef != null) {
        String secretName = provider.getSpec().aws.credentials.secretRef.name;
        client.secrets().inNamespace(NAMESPACE).withName(secretName).edit(s -> {
          s.setStringData(Map.of("AWS_ACCESS_KEY_ID", admin.accessKeyId(),
              "AWS_SECRET_ACCESS_KEY", admin.secretAccessKey().reveal()));
          s.setData(null);
          return s;
        });
      }
    }
  }

  private static AccessKey awaitReady(KubernetesClient client, String name, Instant deadline) throws InterruptedException {
    while (Instant.now().isBefore(deadline)) {
      AccessKey ak = client.resources(AccessKey.class).inNamespace(NAMESPACE).withName(name).get();
      if (ak != null && ak.getStatus() != null && Conditions.isTrue(ak.getStatus().conditions, Conditions.READY)) {
        say(name + " is Ready");
        return ak;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("AccessKey " + name + " did not become Ready");
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void kubectl(LocalControlPlane plane, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(plane.kubectl().toString(), "--kubeconfig", plane.kubeconfigPath()));
    command.addAll(List.of(args));
    int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
    if (exit != 0) {
      throw new IllegalStateException("kubectl " + String.join(" ", args) + " failed");
    }
  }

  private static void say(String text) {
    System.out.println("==> " + text);
  }
}
