package io.keywarden.api;

/**
 * Input keywarden cannot act on: a field the schema could not check, a missing provider, a
 * conflict. Becomes {@code Ready=False} with the reason and a message that names the field.
 */
public class SpecProblem extends RuntimeException {
  private final String reason;

  public SpecProblem(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public static SpecProblem invalid(String field, String problem) {
    return new SpecProblem("InvalidSpec", field + ": " + problem);
  }

  public String reason() {
    return reason;
  }
}
