package io.engage.tenancy;

import io.engage.common.ApiProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What a password must be, in the spirit of NIST SP 800-63B: long enough ({@code engage.auth.password-min-length},
 * default 12, never below 8), at most 128 characters, not a commonly used password (nor one with digits or symbols
 * put before or after it), not containing the name part of the account's email, and not a few characters repeated
 * (at least 4 different ones). No composition rules (they push people towards predictable patterns like
 * "Password1!") and no expiry. {@link UserAccounts} applies it to every password it stores.
 */
@Component
public class PasswordPolicy {

    /** The lowest minimum length that may be configured (NIST's floor for user-chosen passwords). */
    static final int LOWEST_MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;
    static final int MIN_DISTINCT_CHARACTERS = 4;
    /** A shorter name part (bob@…) would reject too many ordinary words; it is still refused on its own. */
    private static final int MIN_EMAIL_NAME_TO_SEARCH = 4;
    private static final Pattern DIGITS_AND_SYMBOLS_AT_EDGES = Pattern.compile("^[\\d\\W_]+|[\\d\\W_]+$");

    private final int minLength;
    private final Set<String> common;

    PasswordPolicy(@Value("${engage.auth.password-min-length:12}") int minLength) {
        if (minLength < LOWEST_MIN_LENGTH || minLength > 64) {
            throw new IllegalStateException("engage.auth.password-min-length must be between " + LOWEST_MIN_LENGTH
                    + " and 64, not " + minLength);
        }
        this.minLength = minLength;
        this.common = loadCommonPasswords();
    }

    /** A broken rule: its short name (for clients) and what the password must be instead. */
    public record Violation(String rule, String message) {
    }

    public int minLength() {
        return minLength;
    }

    /** The first rule this password breaks for the account with this email, if any. */
    public Optional<Violation> violation(String password, String email) {
        int length = password.codePointCount(0, password.length());
        if (length < minLength) {
            return Optional.of(new Violation("min-length", "must have at least " + minLength + " characters"));
        }
        if (length > MAX_LENGTH) {
            return Optional.of(new Violation("max-length", "must have at most " + MAX_LENGTH + " characters"));
        }
        String lower = password.toLowerCase(Locale.ROOT);
        String core = DIGITS_AND_SYMBOLS_AT_EDGES.matcher(lower).replaceAll("");
        String name = emailName(email);
        if (!name.isEmpty() && (core.equals(name) || name.length() >= MIN_EMAIL_NAME_TO_SEARCH && lower.contains(name))) {
            return Optional.of(new Violation("email", "must not contain the name part of the email address"));
        }
        if (common.contains(lower) || common.contains(core)) {
            return Optional.of(new Violation("common",
                    "is too common: it is on a list of frequently used passwords"));
        }
        if (lower.codePoints().distinct().count() < MIN_DISTINCT_CHARACTERS) {
            return Optional.of(new Violation("repetitive",
                    "is too repetitive: use at least " + MIN_DISTINCT_CHARACTERS + " different characters"));
        }
        return Optional.empty();
    }

    /**
     * 422 problem+json with a field error when the password breaks a rule. Requests are checked earlier, with their
     * other fields, by {@link AcceptablePassword}; this is the guarantee for every other way a password arrives.
     */
    public void check(String field, String password, String email) {
        violation(password, email).ifPresent(broken -> {
            throw ApiProblem.unprocessable(field, broken.message());
        });
    }

    /** The part before the @, without a +tag, lower-cased. */
    private static String emailName(String email) {
        if (email == null) {
            return "";
        }
        String name = email.trim().toLowerCase(Locale.ROOT);
        int at = name.lastIndexOf('@');
        name = at < 0 ? name : name.substring(0, at);
        int plus = name.indexOf('+');
        return plus < 0 ? name : name.substring(0, plus);
    }

    private static Set<String> loadCommonPasswords() {
        Set<String> passwords = new HashSet<>();
        try (InputStream in = PasswordPolicy.class.getResourceAsStream("common-passwords.txt")) {
            if (in == null) {
                throw new IllegalStateException("common-passwords.txt is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    passwords.add(line.strip().toLowerCase(Locale.ROOT));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Set.copyOf(passwords);
    }
}
