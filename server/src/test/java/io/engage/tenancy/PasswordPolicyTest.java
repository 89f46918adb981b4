package io.engage.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.engage.common.ApiProblem;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {

    private static final String EMAIL = "jane.doe+work@example.com";
    private final PasswordPolicy policy = new PasswordPolicy(12);

    private String rule(String password) {
        return rule(password, EMAIL);
    }

    private String rule(String password, String email) {
        Optional<PasswordPolicy.Violation> broken = policy.violation(password, email);
        return broken.map(PasswordPolicy.Violation::rule).orElse("ok");
    }

    @Test
    void acceptsLongPasswordsWithoutCompositionRules() {
        assertThat(rule("correct-horse-9")).isEqualTo("ok");
        assertThat(rule("correct horse battery staple")).isEqualTo("ok");
        assertThat(rule("all lower case words")).isEqualTo("ok");
        assertThat(rule("pässwörter sind lang")).isEqualTo("ok");
        assertThat(rule("x".repeat(60) + "yzw" + "v".repeat(65))).isEqualTo("ok"); // 128
    }

    @Test
    void lengthIsCountedInCharactersNotUtf16Units() {
        assertThat(rule("🔒🔑🗝🚪🏠🌍🌙⭐🍀🎈🎲")).isEqualTo("min-length"); // 11 characters, 21 UTF-16 units
        assertThat(rule("🔒🔑🗝🚪🏠🌍🌙⭐🍀🎈🎲🎯")).isEqualTo("ok");
    }

    @Test
    void refusesTooShortAndTooLong() {
        assertThat(rule("eleven-char")).isEqualTo("min-length");
        assertThat(policy.violation("eleven-char", EMAIL).orElseThrow().message())
                .isEqualTo("must have at least 12 characters");
        assertThat(rule("twelve-chars")).isEqualTo("ok");
        assertThat(rule("x".repeat(60) + "yzw" + "v".repeat(66))).isEqualTo("max-length");
    }

    @Test
    void theMinimumIsConfigurableButNeverBelowEight() {
        assertThat(new PasswordPolicy(8).violation("cat-nap!", EMAIL)).isEmpty();
        assertThat(new PasswordPolicy(15).violation("correct-horse-", EMAIL).orElseThrow().rule())
                .isEqualTo("min-length");
        assertThatThrownBy(() -> new PasswordPolicy(7)).hasMessageContaining("between 8 and 64");
        assertThatThrownBy(() -> new PasswordPolicy(65)).hasMessageContaining("between 8 and 64");
    }

    @Test
    void refusesCommonPasswordsAlsoWithDigitsOrSymbolsAround() {
        assertThat(rule("qwertyuiop12")).isEqualTo("common");
        assertThat(rule("Password1234")).isEqualTo("common");
        assertThat(rule("iloveyou2024!")).isEqualTo("common");
        assertThat(rule("!!Sunshine!!99")).isEqualTo("common");
        assertThat(rule("123456789012")).isEqualTo("ok"); // not on the list as such; digits alone are not "common"
        assertThat(rule("engage-2024!")).isEqualTo("common"); // the product's own name is on the list
        assertThat(policy.violation("letmein12345", EMAIL).orElseThrow().message())
                .isEqualTo("is too common: it is on a list of frequently used passwords");
        // a common word inside a longer passphrase is fine
        assertThat(rule("password-of-the-giraffe")).isEqualTo("ok");
    }

    @Test
    void refusesPasswordsBuiltFromTheEmailsNamePart() {
        assertThat(rule("jane.doe-rocks-2024")).isEqualTo("email");
        assertThat(rule("JANE.DOE.JANE.DOE")).isEqualTo("email");
        assertThat(rule("my-work-password-9")).isEqualTo("ok"); // the +tag is not part of the name
        assertThat(policy.violation("jane.doe-rocks-2024", EMAIL).orElseThrow().message())
                .isEqualTo("must not contain the name part of the email address");
        // short names are refused on their own, not searched inside words
        assertThat(rule("bob-12345678!", "bob@example.com")).isEqualTo("email");
        assertThat(rule("bobcat-hunting-season", "bob@example.com")).isEqualTo("ok");
        // no usable email: only the other rules apply
        assertThat(rule("correct-horse-9", null)).isEqualTo("ok");
        assertThat(rule("correct-horse-9", "not-an-email")).isEqualTo("ok");
    }

    @Test
    void refusesRepetitivePasswords() {
        assertThat(rule("zzzzzzzzzzzzzz")).isEqualTo("repetitive");
        assertThat(rule("xyxyxyxyxyxyxy")).isEqualTo("repetitive");
        assertThat(rule("xyz.xyz.xyz.xyz")).isEqualTo("ok");
        assertThat(rule("xyzxyzxyzxyzxyz")).isEqualTo("repetitive");
    }

    @Test
    void checkThrowsAFieldErrorProblem() {
        policy.check("password", "correct-horse-9", EMAIL);
        assertThatThrownBy(() -> policy.check("adminPassword", "short", EMAIL))
                .isInstanceOfSatisfying(ApiProblem.class, problem -> {
                    assertThat(problem.getStatusCode().value()).isEqualTo(422);
                    assertThat(problem.getBody().getDetail()).isEqualTo("adminPassword: must have at least 12 characters");
                    assertThat(problem.getBody().getProperties()).containsKey("errors");
                });
    }
}
