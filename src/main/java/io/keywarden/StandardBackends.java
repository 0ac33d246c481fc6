package io.keywarden;

import io.keywarden.backend.BackendKind;
import io.keywarden.backend.BackendRegistry;
import io.keywarden.backend.aws.AwsKind;
import io.keywarden.backend.minio.MinioKind;
import io.keywarden.backend.outscale.OutscaleKind;
import java.util.List;

/** The backend kinds keywarden ships: the one place that lists them. */
public final class StandardBackends {
  private StandardBackends() {}

  public static List<BackendKind> kinds() {
    return List.of(new AwsKind(), new OutscaleKind(), new MinioKind());
  }

  public static BackendRegistry registry() {
    return new BackendRegistry(kinds());
  }
}
