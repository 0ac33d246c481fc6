package io.keywarden.backend;

/**
 * Who the provider credentials authenticate as.
 *
 * @param principal the backend's full name for the identity (an ARN on AWS)
 * @param userName the user name keys are created for when an AccessKey names none; {@code null}
 *     when the identity is the account itself (root), whose keys are managed without a user name
 * @param ownsKeys whether the identity can hold access keys itself (a user or the account, not an
 *     assumed role): without it an AccessKey must name a user
 */
public record Identity(String principal, String userName, boolean ownsKeys) {}
