/**
 * Small building blocks every module shares: identifiers, time, paging, the typed API problems that the web
 * module turns into RFC 7807 responses, and {@link io.engage.common.WriteBarrier} for asynchronous writers. Depends
 * on no other Engage module.
 */
package io.engage.common;
