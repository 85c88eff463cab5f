package dev.fusionextract.vault;

import dev.fusionextract.logging.Redactor;

import java.util.Optional;

/**
 * The OAuth client of the IDCS confidential application, and optionally a user for the password grant.
 * {@link #toString()} never shows the secret or the password.
 */
public record IdcsCredentials(String clientId, String clientSecret, Optional<String> username,
                              Optional<String> password, Optional<String> scope) {

    public enum Grant { CLIENT_CREDENTIALS, PASSWORD }

    /** The password grant when the secret names a user, the client-credentials grant otherwise. */
    public Grant grant() {
        return username.isPresent() ? Grant.PASSWORD : Grant.CLIENT_CREDENTIALS;
    }

    @Override
    public String toString() {
        return "IdcsCredentials[clientId=" + Redactor.hint(clientId) + ", clientSecret=" + Redactor.MASK
                + ", grant=" + grant() + ", username=" + username.map(u -> Redactor.hint(u)).orElse("-")
                + ", scope=" + scope.orElse("-") + "]";
    }
}
