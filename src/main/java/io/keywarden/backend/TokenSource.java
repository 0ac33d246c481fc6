package io.keywarden.backend;

/** Tokens of a Kubernetes ServiceAccount that a backend signs in with (MinIO OpenID). */
@FunctionalInterface
public interface TokenSource {
  SecretValue token();
}
