package io.keywarden.backend;

public enum KeyStatus {
  ACTIVE,
  INACTIVE
}
