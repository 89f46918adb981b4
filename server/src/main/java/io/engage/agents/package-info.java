/**
 * Agents: each company's AI agents and their whole configuration (persona, interaction rules, LLM, retrieval, widget,
 * identity verification, limits, publish state), their widget API keys (through auth's AgentKeys) and cascading
 * deletion. Public face: {@link io.engage.agents.AgentService} (lookups, creation and the runtime's decrypted
 * {@link io.engage.agents.AgentSecrets}), the {@link io.engage.agents.Agent} record and
 * {@link io.engage.agents.AgentRequest} with their enums, and the {@link io.engage.agents.AgentDeleted} event.
 */
package io.engage.agents;
