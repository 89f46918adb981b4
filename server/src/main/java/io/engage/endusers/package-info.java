/**
 * End-users: the visitors who talk to an agent, per (agent, external id). Created on first contact by the agent
 * runtime (through {@link io.engage.endusers.EndUsers}), blocked and unblocked by their company, listed for
 * companies and platform admins. Public face: {@link io.engage.endusers.EndUsers} and
 * {@link io.engage.endusers.EndUser}.
 */
package io.engage.endusers;
