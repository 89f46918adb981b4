/**
 * What every node may cache about an agent, and how a change made on one node reaches the caches of all of them.
 * A change to an agent (settings, keys, end-user blocks, knowledge) gives it a new random stamp, in Redis when it is
 * configured; a cached value is used only while its agent's stamp is still the one it was read under. Reading the
 * stamp is one Redis GET per request instead of several database reads, and a key revoked on one node is refused by
 * every node from the next request on. Public face: {@link io.engage.cluster.AgentStamps} and
 * {@link io.engage.cluster.StampedCache}.
 */
package io.engage.cluster;
