/**
 * The agent runtime behind the AI Agent API ({@code /agent/**}, authenticated by the agent's widget key): resolves
 * the key and checks the browser origin, rate-limits, creates end-users on first contact, verifies identity hashes,
 * then answers: memory → follow-up rewriting → retrieval → grounding guard → prompt → model (streamed) → stored
 * turn. For the widget also: its public settings, the help-center search over the agent's knowledge and the
 * visitor's current conversation (resumed after a page reload). Also serves transcripts to the agent's company.
 * Public face: none (HTTP only).
 */
package io.engage.conversation;
