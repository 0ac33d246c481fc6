package io.keywarden.backend;

import java.util.Objects;

/**
 * A secret that cannot leak by accident: {@link #toString()} is masked, so logging a record or an
 * exception that holds one never prints it. Only {@link #reveal()} gives the value, and only the
 * Secret renderer and request signing call it.
 */
public final class SecretValue {
  private final String value;

  private SecretValue(String value) {
    this.value = Objects.requireNonNull(value, "secret value");
  }

  public static SecretValue of(String value) {
    return new SecretValue(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "<redacted>";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValue other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
