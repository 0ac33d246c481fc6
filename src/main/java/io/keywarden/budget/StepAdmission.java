package io.keywarden.budget;

/**
 * One reconcile's admissions by its provider's call budget: asked once per lifecycle step, before
 * the step's first backend call (mostly the lookup that observes the key), and holding for the
 * step's own calls after it. Asked before each call instead, a reconcile refused at the step would
 * already have spent its observation's call: it came back at its turn, when one call's worth had
 * come back, spent it on the lookup and was refused again, at every turn, and on a budget at its
 * limit no step ever ran. One per reconcile; not thread-safe.
 */
public final class StepAdmission {
  private final Runnable ask;
  private boolean admitted;

  /** @param ask asks the provider's budget; throws {@link OverBudget} when it is spent */
  public StepAdmission(Runnable ask) {
    this.ask = ask;
  }

  /** @throws OverBudget when the step has not been admitted and the budget is spent: nothing was called */
  public void beforeCall() {
    if (!admitted) {
      ask.run();
      admitted = true;
    }
  }

  /** The step is done: the next backend call belongs to the next step, which asks again. */
  public void stepDone() {
    admitted = false;
  }
}
