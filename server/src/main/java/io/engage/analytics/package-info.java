/**
 * Analytics: the interaction event log (answered turns, conversation starts, feedback and widget events), hourly and
 * daily rollups kept in the same transaction as the events, company and platform analytics over any range, and
 * knowledge gaps (questions the agent could not ground, clustered by meaning) that a company turns into FAQ entries.
 * Events arrive from the agent runtime's background writer, so recording never runs on a request thread.
 * Public face: {@link io.engage.analytics.Analytics} and {@link io.engage.analytics.InteractionEvent}.
 */
package io.engage.analytics;
