package io.keywarden.expiry;

/**
 * An expiry date or duration in a spec that keywarden cannot read. It is a spec problem a person
 * must fix, so the message is written for them: it names the problem, quotes the input and says
 * what is accepted. Inputs are dates and durations, never secrets, so quoting them is safe.
 */
public class InvalidExpiryException extends IllegalArgumentException {

  public InvalidExpiryException(String message) {
    super(message);
  }

  public InvalidExpiryException(String message, Throwable cause) {
    super(message, cause);
  }
}
