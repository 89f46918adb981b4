package io.engage.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

class AdminBootstrapTest {

    private final UserAccounts accounts = mock(UserAccounts.class);

    @Test
    void usesTheConfiguredPassword() {
        when(accounts.ensurePlatformAdmin("ops@example.com", "configured-pass")).thenReturn(true);
        new AdminBootstrap(accounts, "ops@example.com", "configured-pass", "").run(null);
        verify(accounts).ensurePlatformAdmin("ops@example.com", "configured-pass");
    }

    @Test
    void generatesAStrongPasswordWhenNoneIsConfigured() {
        ArgumentCaptor<String> password = ArgumentCaptor.forClass(String.class);
        when(accounts.ensurePlatformAdmin(eq("ops@example.com"), password.capture())).thenReturn(true);
        new AdminBootstrap(accounts, "ops@example.com", "", "").run(null);
        new AdminBootstrap(accounts, "ops@example.com", null, "").run(null);
        assertThat(password.getAllValues()).hasSize(2).allSatisfy(p -> assertThat(p).hasSize(24));
        assertThat(password.getAllValues().get(0)).isNotEqualTo(password.getAllValues().get(1));
    }

    @Test
    void refusesATooShortConfiguredPassword() {
        assertThatThrownBy(() -> new AdminBootstrap(accounts, "ops@example.com", "short", "").run(null))
                .hasMessageContaining("at least 8");
        verify(accounts, never()).ensurePlatformAdmin(anyString(), anyString());
    }

    @Test
    void aRaceWithAnotherNodeDoesNotStopStartup() {
        when(accounts.ensurePlatformAdmin(anyString(), anyString())).thenThrow(new IllegalStateException("duplicate"));
        new AdminBootstrap(accounts, "ops@example.com", "configured-pass", "").run(null);
    }

    @Test
    void aOneOffCommandCreatesNoAccount() {
        new AdminBootstrap(accounts, "ops@example.com", "", "reencrypt").run(null);
        verify(accounts, never()).ensurePlatformAdmin(anyString(), anyString());
    }
}
