package io.keywarden.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.keywarden.api.v1alpha1.WorkloadRollout;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** When a consumer's rollout is done, from the workload's status as its controller writes it. */
class RolloutProgressTest {
  static Deployment deployment(String specAndStatus) {
    return Serialization.unmarshal("metadata: {name: app, generation: 4}\n" + specAndStatus, Deployment.class);
  }

  static StatefulSet statefulSet(String specAndStatus) {
    return Serialization.unmarshal("metadata: {name: db, generation: 2}\n" + specAndStatus, StatefulSet.class);
  }

  static DaemonSet daemonSet(String status) {
    return Serialization.unmarshal("metadata: {name: agent, generation: 3}\nspec: {}\n" + status, DaemonSet.class);
  }

  static Stream<Arguments> workloads() {
    return Stream.of(
        Arguments.of("Deployment rolled out", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2}"), true),
        Arguments.of("Deployment: controller has not seen the restart", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 3, replicas: 2, updatedReplicas: 2, availableReplicas: 2}"), false),
        Arguments.of("Deployment: one pod updated", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 3, updatedReplicas: 1, availableReplicas: 2}"), false),
        Arguments.of("Deployment: all updated, an old pod still counted", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 3, updatedReplicas: 2, availableReplicas: 2}"), false),
        Arguments.of("Deployment: all updated, one not available yet", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 1}"), false),
        Arguments.of("Deployment: old pods still terminating", deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2, terminatingReplicas: 1}"), false),
        Arguments.of("Deployment: paused", deployment("spec: {replicas: 2, paused: true}\nstatus: {observedGeneration: 4, replicas: 2, updatedReplicas: 2, availableReplicas: 2}"), false),
        Arguments.of("Deployment without replicas field means 1", deployment("spec: {}\nstatus: {observedGeneration: 4, replicas: 1, updatedReplicas: 1, availableReplicas: 1}"), true),
        Arguments.of("Deployment scaled to zero", deployment("spec: {replicas: 0}\nstatus: {observedGeneration: 4}"), true),
        Arguments.of("Deployment without status", deployment("spec: {replicas: 1}"), false),
        Arguments.of("StatefulSet rolled out", statefulSet("spec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3, currentRevision: db-2, updateRevision: db-2}"), true),
        Arguments.of("StatefulSet: revisions differ", statefulSet("spec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3, currentRevision: db-1, updateRevision: db-2}"), false),
        Arguments.of("StatefulSet: OnDelete, nothing updated", statefulSet("spec: {replicas: 3, updateStrategy: {type: OnDelete}}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 0, availableReplicas: 3, currentRevision: db-1, updateRevision: db-2}"), false),
        Arguments.of("StatefulSet: last pod not available", statefulSet("spec: {replicas: 3}\nstatus: {observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 2, currentRevision: db-2, updateRevision: db-2}"), false),
        Arguments.of("DaemonSet rolled out", daemonSet("status: {observedGeneration: 3, desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberReady: 2}"), true),
        Arguments.of("DaemonSet: one node left", daemonSet("status: {observedGeneration: 3, desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 1, numberAvailable: 2}"), false),
        Arguments.of("DaemonSet: new pod unavailable", daemonSet("status: {observedGeneration: 3, desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1, numberUnavailable: 1}"), false),
        Arguments.of("DaemonSet: generation not observed", daemonSet("status: {observedGeneration: 2, desiredNumberScheduled: 2, currentNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2}"), false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void decidesDone(String name, HasMetadata workload, boolean done) {
    WorkloadRollout progress = RolloutProgress.of(workload);
    assertThat(progress.done).isEqualTo(done);
  }

  @Test
  void reportsTheCountsTheConditionShows() {
    WorkloadRollout progress = RolloutProgress.of(
        deployment("spec: {replicas: 2}\nstatus: {observedGeneration: 4, replicas: 3, updatedReplicas: 1, availableReplicas: 2}"));

    assertThat(progress.name).isEqualTo("app");
    assertThat(progress.desired).isEqualTo(2);
    assertThat(progress.updated).isEqualTo(1);
    assertThat(progress.available).isEqualTo(2);
  }
}
