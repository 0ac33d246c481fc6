package io.keywarden.reconciler;

import io.keywarden.api.v1alpha1.AccessKeySpec;
import io.keywarden.api.v1alpha1.ProviderSpec;
import io.keywarden.backend.aws.IamNames;

/** Refuses spec fields the provider's backend has no home for, naming the field. */
final class BackendSupport {
  private BackendSupport() {}

  static void check(ProviderSpec provider, AccessKeySpec spec) {
    if (provider.aws != null) {
      refuse(spec.name != null, "spec.name", "AWS IAM access keys have no name");
      refuse(spec.description != null, "spec.description", "AWS IAM access keys have no description");
      refuse(spec.policy != null, "spec.policy", "AWS IAM access keys carry no policy of their own; attach policies to the user");
      refuse(spec.policyRef != null, "spec.policyRef", "AWS IAM access keys carry no policy of their own; attach policies to the user");
      refuse(spec.credentialsRef != null, "spec.credentialsRef", "AWS IAM generates access keys itself");
      refuse(spec.isTemporary(), "spec.temporary", "temporary credentials are a MinIO OpenID feature");
      if (spec.user != null) {
        IamNames.validateUserName(spec.user).ifPresent(problem -> {
          throw SpecProblem.invalid("spec.user", problem);
        });
      }
    }
  }

  private static void refuse(boolean present, String field, String why) {
    if (present) {
      throw SpecProblem.invalid(field, "not supported by this provider: " + why);
    }
  }
}
