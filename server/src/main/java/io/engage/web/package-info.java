/**
 * Cross-cutting HTTP: RFC 7807 problem responses for every failure, request ids, request-size limits, the portal's
 * single-page-app routing and the widget script path. Feature modules never write error bodies themselves.
 * Public face: {@link io.engage.web.ProblemWriter} (for filters outside Spring MVC).
 */
package io.engage.web;
