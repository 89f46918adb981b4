package io.engage.tenancy;

import java.util.Locale;

final class Emails {

    private Emails() {
    }

    /** Emails identify users case-insensitively. */
    static String normalize(String email) {
        return email == null ? null : email.trim().toLowerCase(Locale.ROOT);
    }
}
