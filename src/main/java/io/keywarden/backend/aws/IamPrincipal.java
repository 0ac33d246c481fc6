package io.keywarden.backend.aws;

/**
 * What an ARN returned by STS {@code GetCallerIdentity} or IAM {@code GetUser} names.
 *
 * <ul>
 *   <li>{@code arn:aws:iam::123456789012:user/path/Bob}: {@link Kind#USER} {@code Bob}
 *   <li>{@code arn:aws:iam::123456789012:root}: {@link Kind#ROOT}, no name
 *   <li>{@code arn:aws:sts::123456789012:assumed-role/Role/session} (IRSA, pod identity):
 *       {@link Kind#ASSUMED_ROLE} {@code Role}
 *   <li>{@code arn:aws:sts::123456789012:federated-user/Name}: {@link Kind#FEDERATED_USER}
 *   <li>anything else, including moto's {@code arn:aws:sts::123456789012:user/moto} for
 *       credentials it does not know: {@link Kind#OTHER}
 * </ul>
 *
 * Outscale EIM names its principals the same way with an {@code orn:ows:idauth} prefix; only the
 * resource part decides the kind.
 *
 * @param arn the full ARN as returned
 * @param account the account id (may be empty)
 * @param name the user or role name, {@code null} for root and unparseable ARNs
 */
public record IamPrincipal(String arn, Kind kind, String account, String name) {

  public enum Kind {
    /** The account itself: keys are created and listed without a user name. */
    ROOT,
    /** An IAM user: keys default to this user. */
    USER,
    /** A role session (IRSA, pod identity, instance profile): has no access keys of its own. */
    ASSUMED_ROLE,
    FEDERATED_USER,
    OTHER
  }

  /** The user name access keys default to: the user's name for {@link Kind#USER}, else null. */
  public String userName() {
    return kind == Kind.USER ? name : null;
  }

  public static IamPrincipal parse(String arn) {
    if (arn == null) {
      return new IamPrincipal(null, Kind.OTHER, "", null);
    }
    // arn:partition:service:region:account:resource; the resource may itself contain ':'
    String[] parts = arn.split(":", 6);
    if (parts.length != 6 || !(parts[0].equals("arn") || parts[0].equals("orn"))) {
      return new IamPrincipal(arn, Kind.OTHER, "", null);
    }
    String service = parts[2];
    String account = parts[4];
    String resource = parts[5];
    boolean iamLike = service.equals("iam") || service.equals("idauth");
    if (iamLike && resource.equals("root")) {
      return new IamPrincipal(arn, Kind.ROOT, account, null);
    }
    if (iamLike && resource.startsWith("user/") && !resource.endsWith("/")) {
      return new IamPrincipal(arn, Kind.USER, account, lastSegment(resource));
    }
    if (service.equals("sts") && resource.startsWith("assumed-role/")) {
      String[] segments = resource.split("/");
      return new IamPrincipal(arn, Kind.ASSUMED_ROLE, account, segments.length > 1 ? segments[1] : null);
    }
    if (service.equals("sts") && resource.startsWith("federated-user/")) {
      return new IamPrincipal(arn, Kind.FEDERATED_USER, account, lastSegment(resource));
    }
    return new IamPrincipal(arn, Kind.OTHER, account, null);
  }

  private static String lastSegment(String resource) {
    return resource.substring(resource.lastIndexOf('/') + 1);
  }
}
