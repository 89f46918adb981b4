/**
 * Agents: each company's AI agents and their whole configuration (persona, interaction rules, LLM, retrieval, widget,
 * identity verification, limits, publish state), their widget API keys (through auth's AgentKeys) and cascading
 * deletion. Public face: {@link io.engage.agents.AgentService} (lookups for other modules), the
 * {@link io.engage.agents.Agent} record with its enums, and the {@link io.engage.agents.AgentDeleted} event.
 */
package io.engage.agents;
