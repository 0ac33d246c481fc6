package io.keywarden.api.v1alpha1;

public enum KeyState {
  Active,
  Inactive
}
