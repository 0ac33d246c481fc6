package io.keywarden.backend;

import io.keywarden.api.SpecProblem;
import io.keywarden.api.v1alpha1.AccessKeySpec;

/** Refusals of AccessKey fields a backend has no home for, shared by the backend kinds. */
public final class AccessKeyFields {
  private AccessKeyFields() {}

  /**
   * For backends that generate keys themselves and give them nothing but a state and an expiry
   * (AWS IAM, Outscale): refuses name, description, policy, chosen credentials and temporary
   * credentials.
   *
   * @param keys how the message names the backend's keys, e.g. "AWS IAM access keys"
   * @param policyHome where policies go instead, e.g. "attach policies to the user"
   * @param generator who generates the keys, e.g. "AWS IAM"
   */
  public static void refuseKeySettings(AccessKeySpec spec, String keys, String policyHome, String generator) {
    refuse(spec.name != null, "spec.name", keys + " have no name");
    refuse(spec.description != null, "spec.description", keys + " have no description");
    String noPolicy = keys + " carry no policy of their own; " + policyHome;
    refuse(spec.policy != null, "spec.policy", noPolicy);
    refuse(spec.policyRef != null, "spec.policyRef", noPolicy);
    refuse(spec.credentialsRef != null, "spec.credentialsRef", generator + " generates access keys itself");
    refuse(spec.isTemporary(), "spec.temporary", "temporary credentials are a MinIO OpenID feature");
  }

  public static void refuse(boolean present, String field, String why) {
    if (present) {
      throw SpecProblem.invalid(field, "not supported by this provider: " + why);
    }
  }
}
