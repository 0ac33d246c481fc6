package io.keywarden.api.v1alpha1;

public enum OutscaleApi {
  oapi,
  eim
}
