/**
 * Cross-cutting HTTP: RFC 7807 problem responses for every failure, request ids, request-size limits, the portal's
 * single-page-app routing and the widget script path; the optional Redis connection and per-minute rate limits.
 * Feature modules never write error bodies themselves. Public face: {@link io.engage.web.ProblemWriter} (for
 * filters outside Spring MVC), {@link io.engage.web.RedisLink} and {@link io.engage.web.RateLimiter}.
 */
package io.engage.web;
