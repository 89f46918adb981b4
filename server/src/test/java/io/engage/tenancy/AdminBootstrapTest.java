package io.engage.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;

class AdminBootstrapTest {

    private final UserAccounts accounts = mock(UserAccounts.class);
    private final PasswordPolicy policy = new PasswordPolicy(12);
    @TempDir
    Path dir;

    @Test
    void usesTheConfiguredPassword() {
        when(accounts.ensurePlatformAdmin("ops@example.com", "configured-pass")).thenReturn(true);
        new AdminBootstrap(accounts, policy, "ops@example.com", "configured-pass", "", dir.toString()).run(null);
        verify(accounts).ensurePlatformAdmin("ops@example.com", "configured-pass");
    }

    @Test
    void generatesAStrongPasswordWhenNoneIsConfigured() {
        ArgumentCaptor<String> password = ArgumentCaptor.forClass(String.class);
        when(accounts.ensurePlatformAdmin(eq("ops@example.com"), password.capture())).thenReturn(true);
        new AdminBootstrap(accounts, policy, "ops@example.com", "", "", dir.toString()).run(null);
        new AdminBootstrap(accounts, policy, "ops@example.com", null, "", dir.toString()).run(null);
        assertThat(password.getAllValues()).hasSize(2).allSatisfy(p -> assertThat(p).hasSize(24));
        assertThat(password.getAllValues().get(0)).isNotEqualTo(password.getAllValues().get(1));
    }

    @Test
    void aGeneratedPasswordGoesToAnOwnerOnlyFileNotTheLog() throws IOException {
        ArgumentCaptor<String> password = ArgumentCaptor.forClass(String.class);
        when(accounts.ensurePlatformAdmin(eq("ops@example.com"), password.capture())).thenReturn(true);
        new AdminBootstrap(accounts, policy, "ops@example.com", "", "", dir.toString()).run(null);
        Path file = dir.resolve(AdminBootstrap.PASSWORD_FILE);
        assertThat(Files.readString(file).strip()).isEqualTo(password.getValue());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void noPasswordFileIsLeftWhenTheAdminExistedAlready() {
        when(accounts.ensurePlatformAdmin(anyString(), anyString())).thenReturn(false);
        new AdminBootstrap(accounts, policy, "ops@example.com", "", "", dir.toString()).run(null);
        assertThat(dir.resolve(AdminBootstrap.PASSWORD_FILE)).doesNotExist();
    }

    @Test
    void refusesAConfiguredPasswordThePolicyRejectsWhenItCreatesTheAdmin() {
        // UserAccounts applies the policy when it stores the admin
        when(accounts.ensurePlatformAdmin(anyString(), anyString())).thenAnswer(call -> {
            policy.check("password", call.getArgument(1), call.getArgument(0));
            return true;
        });
        assertThatThrownBy(() -> new AdminBootstrap(accounts, policy, "ops@example.com", "short", "", dir.toString())
                .run(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ENGAGE_ADMIN_PASSWORD is not accepted: password: must have at least 12 characters");
        assertThatThrownBy(() -> new AdminBootstrap(accounts, policy, "ops@example.com", "ops-1234-5678", "",
                dir.toString()).run(null))
                .hasMessageContaining("must not contain the name part of the email address");
    }

    @Test
    void aWeakConfiguredPasswordDoesNotMatterOnceTheAdminExists() {
        when(accounts.ensurePlatformAdmin(anyString(), anyString())).thenReturn(false);
        new AdminBootstrap(accounts, policy, "ops@example.com", "short", "", dir.toString()).run(null);
        verify(accounts).ensurePlatformAdmin("ops@example.com", "short");
    }

    @Test
    void aRaceWithAnotherNodeDoesNotStopStartup() {
        when(accounts.ensurePlatformAdmin(anyString(), anyString())).thenThrow(new IllegalStateException("duplicate"));
        new AdminBootstrap(accounts, policy, "ops@example.com", "configured-pass", "", dir.toString()).run(null);
    }

    @Test
    void aOneOffCommandCreatesNoAccount() {
        new AdminBootstrap(accounts, policy, "ops@example.com", "", "reencrypt", dir.toString()).run(null);
        verify(accounts, never()).ensurePlatformAdmin(anyString(), anyString());
    }
}
