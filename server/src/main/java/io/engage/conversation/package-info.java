/**
 * The agent runtime behind the AI Agent API ({@code /agent/**}, authenticated by the agent's widget key): resolves
 * the key and checks the browser origin, rate-limits, creates end-users on first contact, verifies identity hashes,
 * then answers: memory → follow-up rewriting → retrieval → grounding guard → prompt → model (streamed) → stored
 * turn. Also serves transcripts to the agent's company. Public face: none (HTTP only).
 */
package io.engage.conversation;
