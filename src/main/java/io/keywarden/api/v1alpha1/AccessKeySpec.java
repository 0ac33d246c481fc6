package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The desired key. Every default is applied in code, never written back, so a GitOps tool that
 * applies the same manifest sees no drift.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!(has(self.expiry) && has(self.expiryDuration))",
    message = "spec.expiry and spec.expiryDuration are mutually exclusive")
@ValidationRule(
    value = "!has(self.renewBefore) || has(self.expiryDuration)",
    message = "spec.renewBefore requires spec.expiryDuration")
@ValidationRule(
    value = "!has(self.expiryTimeZone) || has(self.expiry)",
    message = "spec.expiryTimeZone requires spec.expiry")
@ValidationRule(
    value = "!(has(self.policy) && has(self.policyRef))",
    message = "spec.policy and spec.policyRef are mutually exclusive")
@ValidationRule(
    value = "self.provider == oldSelf.provider",
    message = "spec.provider is immutable")
@ValidationRule(
    value = "has(self.user) == has(oldSelf.user) && (!has(self.user) || self.user == oldSelf.user)",
    message = "spec.user is immutable")
@ValidationRule(
    value =
        "(has(self.secret) && has(self.secret.name)) == (has(oldSelf.secret) && has(oldSelf.secret.name))"
            + " && (!has(self.secret) || !has(self.secret.name) || self.secret.name == oldSelf.secret.name)",
    message = "spec.secret.name is immutable")
@ValidationRule(
    value = "!has(self.temporary) || !self.temporary || !(has(self.user) || has(self.name) || has(self.description)"
        + " || has(self.credentialsRef) || has(self.expiry) || (has(self.state) && self.state == 'Inactive'))",
    message = "spec.temporary: temporary STS credentials take no user, name, description, credentialsRef, expiry"
        + " (use expiryDuration) or state Inactive")
@ValidationRule(
    value = "!has(self.temporary) || !self.temporary || !has(self.rotation)"
        + " || !(has(self.rotation.consumers) || has(self.rotation.discoverConsumers))",
    message = "spec.rotation.consumers and spec.rotation.discoverConsumers do not apply to temporary credentials")
@ValidationRule(
    value = "(has(self.temporary) && self.temporary) == (has(oldSelf.temporary) && oldSelf.temporary)",
    message = "spec.temporary is immutable")
public class AccessKeySpec {
  @Required public ProviderRef provider;

  @Size(min = 1, max = 128)
  @JsonPropertyDescription(
      "User the key belongs to (aws --user-name, mc USER). Default: the provider's own identity."
          + " Immutable.")
  public String user;

  @Size(max = 32)
  @JsonPropertyDescription("Human-readable key name (MinIO --name), at most 32 characters as MinIO allows.")
  public String name;

  @Size(max = 256)
  @JsonPropertyDescription("Why the key exists (MinIO --description).")
  public String description;

  @JsonPropertyDescription(
      "Inline JSON policy that restricts the key (MinIO --policy); at most 2048 characters.")
  public String policy;

  @JsonPropertyDescription("The policy from a ConfigMap key instead of inline.")
  public PolicyRef policyRef;

  @JsonPropertyDescription(
      "Custom access and secret key (MinIO --access-key/--secret-key) where the backend allows it.")
  public CredentialsRef credentialsRef;

  @JsonPropertyDescription(
      "Absolute expiry: 2024-10-24, 2024-10-24T10:00, 2024-10-24T10:00:00, RFC 3339"
          + " (2024-10-24T10:00:00Z, 2024-10-24T10:00:00-07:00) or 2010-10-01T12:34:56.789+0000."
          + " Zone-less values are in spec.expiryTimeZone (default UTC).")
  @Pattern(Durations.EXPIRY_PATTERN)
  @Size(max = 64)
  public String expiry;

  @JsonPropertyDescription(
      "IANA time zone (e.g. Europe/Paris) for an expiry written without offset. Default UTC.")
  @Size(max = 64)
  public String expiryTimeZone;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "Relative expiry of each key (#d#h#m#s: 30m, 24h, 30d, 5d12h30s); keys rotate before it.")
  public String expiryDuration;

  @Pattern(Durations.PATTERN)
  @JsonPropertyDescription(
      "With expiryDuration: rotate when this much lifetime is left (default: a third of it).")
  public String renewBefore;

  public Rotation rotation;

  @JsonPropertyDescription("Active (default) or Inactive.")
  public KeyState state;

  @JsonPropertyDescription(
      "MinIO OpenID only: publish temporary STS credentials with AWS_SESSION_TOKEN instead of an access key (mc"
          + " --sts-only) and refresh them before they expire. expiryDuration sets their lifetime (15m to 365d,"
          + " default 1h), renewBefore when they are refreshed; a policy restricts them further (STS session policy).")
  public Boolean temporary;

  @JsonPropertyDescription("The Secret that receives the key.")
  public SecretTemplate secret;

  @JsonPropertyDescription("Delete (default): delete the keys with the AccessKey. Retain: keep them.")
  public DeletionPolicy deletionPolicy;

  public KeyState effectiveState() {
    return state == null ? KeyState.Active : state;
  }

  public DeletionPolicy effectiveDeletionPolicy() {
    return deletionPolicy == null ? DeletionPolicy.Delete : deletionPolicy;
  }

  public boolean isTemporary() {
    return Boolean.TRUE.equals(temporary);
  }
}
