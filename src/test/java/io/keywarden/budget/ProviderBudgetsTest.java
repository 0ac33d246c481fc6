package io.keywarden.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywarden.backend.BackendException;
import io.keywarden.backend.ChosenCredentials;
import io.keywarden.backend.InPlaceSettings;
import io.keywarden.backend.KeyBackend;
import io.keywarden.backend.NativeExpiry;
import io.keywarden.testsupport.InMemoryKeyBackend;
import io.keywarden.testsupport.memory.MinioLikeBackend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderBudgetsTest {
  private static final Instant NOW = Instant.parse("2026-12-02T14:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final ProviderBudgets budgets = new ProviderBudgets(
      Map.of("aws", new BudgetLimit("aws", 10, 3), "minio", new BudgetLimit("minio", 100, 200)), clock);
  private final InMemoryKeyBackend backend = new InMemoryKeyBackend(clock);

  @Test
  void everyCallThroughTheWrappedBackendSpendsTheProvidersBudget() {
    KeyBackend wrapped = budgets.wrap("AccessKeyProvider/ns/aws", "aws", backend);
    budgets.admit("AccessKeyProvider/ns/aws", "aws");
    wrapped.list("alice");
    wrapped.list("bob");
    wrapped.close(); // not a call
    budgets.admit("AccessKeyProvider/ns/aws", "aws");
    wrapped.list("carol");

    assertThatThrownBy(() -> budgets.admit("AccessKeyProvider/ns/aws", "aws"))
        .isInstanceOf(OverBudget.class)
        .satisfies(e -> assertThat(((OverBudget) e).retryAfter()).isEqualTo(Duration.ofMillis(100)));
  }

  @Test
  void providersHaveBudgetsOfTheirOwn() {
    KeyBackend first = budgets.wrap("AccessKeyProvider/ns/aws", "aws", backend);
    for (int i = 0; i < 10; i++) {
      first.list("alice");
    }
    assertThatThrownBy(() -> budgets.admit("AccessKeyProvider/ns/aws", "aws")).isInstanceOf(OverBudget.class);
    budgets.admit("AccessKeyProvider/other/aws", "aws");
    assertThat(budgets.budget("ClusterAccessKeyProvider/minio", "minio").limit().callsPerSecond()).isEqualTo(100);
  }

  @Test
  void aThrottlingAnswerSlowsTheProviderDown() {
    backend.beforeEachCall(operation -> {
      throw new BackendException(BackendException.Reason.THROTTLED, "Rate exceeded");
    });
    KeyBackend wrapped = budgets.wrap("AccessKeyProvider/ns/aws", "aws", backend);

    assertThatThrownBy(() -> wrapped.list("alice")).isInstanceOf(BackendException.class).hasMessage("Rate exceeded");
    assertThat(budgets.budget("AccessKeyProvider/ns/aws", "aws").rate(NOW)).isEqualTo(5.0);
  }

  @Test
  void theWrappedBackendKeepsExactlyTheCapabilitiesItHad() {
    assertThat(budgets.wrap("p", "aws", backend)).isNotInstanceOf(NativeExpiry.class);
    KeyBackend expiring = new ExpiringBackend(backend);
    assertThat(budgets.wrap("q", "aws", expiring)).isInstanceOf(NativeExpiry.class);
  }

  /**
   * Checks and fresh pairs the client makes by itself cost the backend nothing. Spent, the policy
   * check made before every MinIO reconcile's admission used up the one call that admission waited for.
   */
  @Test
  void whatTheClientAnswersByItselfSpendsNothing() {
    ProviderBudgets oneCall = new ProviderBudgets(Map.of("minio", new BudgetLimit("minio", 1, 1)), clock);
    KeyBackend wrapped = oneCall.wrap("AccessKeyProvider/ns/minio", "minio", new MinioLikeBackend(clock));
    InPlaceSettings settings = (InPlaceSettings) wrapped;
    ChosenCredentials chosen = (ChosenCredentials) wrapped;
    for (int i = 0; i < 3; i++) {
      settings.policyProblem("{}");
      ChosenCredentials.ChosenKey pair = chosen.generate();
      chosen.accessKeyProblem(pair.accessKeyId());
      chosen.secretKeyProblem(pair.secretKey());
    }
    oneCall.admit("AccessKeyProvider/ns/minio", "minio");

    wrapped.list("alice"); // a call: the one the budget had
    assertThatThrownBy(() -> oneCall.admit("AccessKeyProvider/ns/minio", "minio")).isInstanceOf(OverBudget.class);
  }

  @Test
  void aBackendKindWithoutALimitIsAProgrammingError() {
    assertThatThrownBy(() -> budgets.budget("p", "gcp")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gcp");
  }

  /** A backend with native expiry, delegating the common verbs. */
  private record ExpiringBackend(InMemoryKeyBackend delegate) implements KeyBackend, NativeExpiry {
    @Override public io.keywarden.backend.Identity whoAmI() { return delegate.whoAmI(); }
    @Override public io.keywarden.backend.IssuedKey create(io.keywarden.backend.CreateKeyRequest r) { return delegate.create(r); }
    @Override public java.util.List<io.keywarden.backend.KeyInfo> list(String user) { return delegate.list(user); }
    @Override public void setStatus(String u, String id, io.keywarden.backend.KeyStatus s) { delegate.setStatus(u, id, s); }
    @Override public void delete(String u, String id) { delegate.delete(u, id); }
    @Override public void verify(io.keywarden.backend.IssuedKey key) { delegate.verify(key); }
    @Override public void setExpiry(String u, String id, Instant at) {}
    @Override public void close() {}
  }
}
