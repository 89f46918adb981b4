/**
 * End-users: the visitors who talk to an agent, per (agent, external id). Rows are created by the agent runtime on
 * first contact; this module lists them for companies and platform admins. Public face:
 * {@link io.engage.endusers.EndUser}.
 */
package io.engage.endusers;
