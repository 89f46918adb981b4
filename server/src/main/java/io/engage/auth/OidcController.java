package io.engage.auth;

import io.engage.common.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.WebUtils;

/** The portal's side of OIDC sign-in: which providers to offer, and the exchange of a sign-in's one-time code. */
@RestController
@Tag(name = "Auth")
class OidcController {

    private final OidcProviders providers;
    private final OidcLoginCodes codes;
    private final LoginThrottle throttle;

    OidcController(OidcProviders providers, OidcLoginCodes codes, LoginThrottle throttle) {
        this.providers = providers;
        this.codes = codes;
        this.throttle = throttle;
    }

    /** A sign-in button: the browser goes to {@code loginUrl + "?portal=admin|app"}. */
    record OidcProviderView(String id, String name, String loginUrl) {
    }

    record ExchangeRequest(@NotBlank @Size(max = 200) String code) {
    }

    @GetMapping("/auth/oidc/providers")
    @SecurityRequirements
    @Operation(summary = "The identity providers users may sign in with (none unless configured)")
    Page<OidcProviderView> oidcProviders() {
        return new Page<>(providers.all().stream().map(p -> new OidcProviderView(p.id(), p.name(),
                OidcAuthorizationRequests.AUTHORIZATION_BASE + "/" + p.id())).toList(), null);
    }

    @PostMapping(OidcSignIn.EXCHANGE_PATH)
    @SecurityRequirements
    @Operation(summary = "Exchange the one-time code of an OIDC sign-in for tokens (once, within a minute, from the "
            + "browser that signed in)")
    TokenService.TokenResponse oidcExchange(@Valid @RequestBody ExchangeRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        throttle.beforeCodeExchange(http.getRemoteAddr());
        Cookie binding = WebUtils.getCookie(http, OidcSignIn.BINDING_COOKIE);
        if (binding != null) {
            // one code, one exchange: the binding is of no further use whatever the outcome
            response.addHeader(HttpHeaders.SET_COOKIE, OidcSignIn.bindingCookie(http, "", Duration.ZERO).toString());
        }
        return codes.redeem(request.code().trim(), binding == null ? null : binding.getValue());
    }
}
