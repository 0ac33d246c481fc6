package io.keywarden.api.v1alpha1;

public enum ProviderKind {
  AccessKeyProvider,
  ClusterAccessKeyProvider
}
