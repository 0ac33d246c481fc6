package io.keywarden.backend;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.ProviderSpec;
import java.util.List;

/** The backend kinds the operator serves; the first kind that claims a provider serves it. */
public final class BackendRegistry {
  private final List<BackendKind> kinds;

  public BackendRegistry(List<BackendKind> kinds) {
    this.kinds = List.copyOf(kinds);
  }

  public BackendKind kindOf(ProviderSpec spec) {
    if (spec == null || spec.backendBlocks() != 1) {
      throw SpecProblem.invalid("spec", ProviderSpec.ONE_BACKEND);
    }
    return kinds.stream().filter(kind -> kind.claims(spec)).findFirst()
        .orElseThrow(() -> SpecProblem.invalid("spec", "no backend kind of this operator serves this provider"));
  }
}
