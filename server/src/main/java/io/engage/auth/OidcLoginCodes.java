package io.engage.auth;

import io.engage.common.ApiProblem;
import io.engage.common.Ids;
import io.engage.common.Times;
import io.engage.crypto.SecretCipher;
import io.engage.tenancy.User;
import io.engage.tenancy.UserAccounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The hand-over from an OIDC callback to the portal: a random one-time code, valid for a minute, that the portal
 * exchanges for the usual token pair. Only hashes are stored. A code is bound to the browser that finished the
 * sign-in (a random value in an HttpOnly cookie, also stored hashed), so a code leaked from a URL, or planted in
 * someone else's browser to sign them in as the attacker, is worthless. A code presented again after its use revokes
 * the tokens it was exchanged for, as RFC 6749 asks of authorization codes.
 */
@Service
class OidcLoginCodes {

    static final Duration TTL = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(OidcLoginCodes.class);

    /** A new code and its browser binding, both shown once. */
    record Issued(String code, String binding) {
    }

    private final OidcLoginCodeRepository codes;
    private final RefreshTokenRepository refreshTokens;
    private final UserAccounts accounts;
    private final TokenService tokens;

    OidcLoginCodes(OidcLoginCodeRepository codes, RefreshTokenRepository refreshTokens, UserAccounts accounts,
            TokenService tokens) {
        this.codes = codes;
        this.refreshTokens = refreshTokens;
        this.accounts = accounts;
        this.tokens = tokens;
    }

    @Transactional
    public Issued issue(UUID userId, String provider) {
        Issued issued = new Issued("eoc_" + SecretCipher.randomToken(32), SecretCipher.randomToken(32));
        Instant now = Times.now();
        codes.insert(SecretCipher.sha256Hex(issued.code()), SecretCipher.sha256Hex(issued.binding()), userId, provider,
                now, now.plus(TTL));
        return issued;
    }

    /** The token pair for a valid, unused code presented with its binding. Failures are committed (revocations). */
    @Transactional(noRollbackFor = ApiProblem.class)
    public TokenService.TokenResponse redeem(String code, String binding) {
        OidcLoginCodeRepository.CodeRow row = codes.find(SecretCipher.sha256Hex(code))
                .orElseThrow(OidcLoginCodes::invalid);
        // checked first: without the binding nobody proves anything, so a replay by a stranger revokes nothing
        if (binding == null || !MessageDigest.isEqual(SecretCipher.sha256Hex(binding).getBytes(StandardCharsets.UTF_8),
                row.bindingHash().getBytes(StandardCharsets.UTF_8))) {
            throw invalid();
        }
        Instant now = Times.now();
        if (row.usedAt() != null) {
            revoke(row);
            throw invalid();
        }
        if (row.expiresAt().isBefore(now)) {
            throw invalid();
        }
        UUID familyId = Ids.newId();
        if (!codes.markUsed(row.codeHash(), now, familyId)) {
            codes.find(row.codeHash()).ifPresent(this::revoke);
            throw invalid();
        }
        User user = accounts.findActive(row.userId()).orElseThrow(OidcLoginCodes::invalid);
        return tokens.issue(user, familyId);
    }

    private void revoke(OidcLoginCodeRepository.CodeRow row) {
        if (row.familyId() != null) {
            refreshTokens.revokeFamily(row.familyId(), Times.now());
        }
        log.warn("OIDC sign-in code presented again: userId={} provider={}; its tokens are revoked", row.userId(),
                row.provider());
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT7M")
    @Transactional
    public void purgeExpired() {
        // kept a day past expiry, so that a late replay still finds its code and revokes what it was exchanged for
        int purged = codes.deleteExpired(Times.now().minus(1, ChronoUnit.DAYS));
        if (purged > 0) {
            log.info("Purged {} expired OIDC sign-in codes", purged);
        }
    }

    private static ApiProblem invalid() {
        return ApiProblem.unauthorized("The sign-in code is invalid, expired, already used or from another browser; "
                + "sign in again");
    }
}
