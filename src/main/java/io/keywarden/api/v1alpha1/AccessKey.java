package io.keywarden.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One access key at a backend, its Secret, and its rotation. */
@Group(AccessKey.GROUP)
@Version(AccessKey.VERSION)
@ShortNames({"ak", "accesskey"})
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Provider",
    jsonPath = ".spec.provider.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "User",
    jsonPath = ".status.user",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Access Key",
    jsonPath = ".status.accessKeyId",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Expires",
    jsonPath = ".status.expiresAt",
    // a string: kubectl prints a date column as an age, which is "<invalid>" for a future time
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class AccessKey extends CustomResource<AccessKeySpec, AccessKeyStatus> implements Namespaced {
  public static final String GROUP = "keywarden.io";
  public static final String VERSION = "v1alpha1";
  /** Set to a new value to rotate the key now. */
  public static final String ROTATE_ANNOTATION = GROUP + "/rotate";
  /**
   * Set to a new value when the key leaked: a new key is published, consumers are restarted, and the
   * old key is deactivated at once and deleted, without a grace period.
   */
  public static final String REVOKE_ANNOTATION = GROUP + "/revoke";
  /**
   * Which operator instance serves the AccessKey (docs/sharding.md): the one started with this shard
   * name; without the label, the default instance. Copied onto the key's Secret.
   */
  public static final String SHARD_LABEL = GROUP + "/shard";

  @Override
  protected AccessKeyStatus initStatus() {
    return new AccessKeyStatus();
  }
}
