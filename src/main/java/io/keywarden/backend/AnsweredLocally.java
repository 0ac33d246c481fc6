package io.keywarden.backend;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A backend method that the client answers by itself, without asking the backend (a format check,
 * a freshly generated pair): it is not a backend call, so it spends nothing of the provider's call
 * budget. Marked on the interface method, so every implementation is covered.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AnsweredLocally {}
