/**
 * Authentication and authorization: password login for admins and company users, OIDC sign-in with configured
 * identity providers (mapped by verified email to existing users, handed to the portal as a one-time code), company
 * sign-up, JWT access tokens (HS256, key derived from the master key) with rotating refresh tokens, login throttling,
 * role-based access, the team endpoints, and widget API keys for agents. Public face:
 * {@link io.engage.auth.CurrentUser}, {@link io.engage.auth.AgentKeys}.
 */
package io.engage.auth;
