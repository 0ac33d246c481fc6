package io.keywarden.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** The backend a provider talks to: exactly one backend block. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.aws), has(self.outscale), has(self.minio)].filter(b, b).size() == 1",
    message = ProviderSpec.ONE_BACKEND)
public class ProviderSpec {
  public static final String ONE_BACKEND = "exactly one backend (spec.aws, spec.outscale or spec.minio) must be set";

  public AwsProvider aws;
  public OutscaleProvider outscale;
  public MinioProvider minio;

  @JsonPropertyDescription("Users whose keys AccessKeys using this provider may hold: names and globs (* any run of"
      + " characters, ? one character), with ${namespace} replaced by the AccessKey's namespace; the entry"
      + " ${identity} allows AccessKeys without spec.user (keys of the provider's own identity). Absent: an"
      + " AccessKeyProvider serves every user and its identity, a ClusterAccessKeyProvider serves none.")
  @ValidationRule(
      value = "self.all(u, u == '${identity}' || u.matches('^([^$]|[$][{]namespace[}])+$'))",
      message = "each entry is a user name or glob, where ${namespace} is the only substitution, or exactly ${identity}")
  @Size(max = 256)
  public List<@Size(min = 1, max = 128) String> allowedUsers;

  /** How many backend blocks are set; admission allows exactly one (CRDs installed without CEL may not). */
  public int backendBlocks() {
    return (aws != null ? 1 : 0) + (outscale != null ? 1 : 0) + (minio != null ? 1 : 0);
  }
}
