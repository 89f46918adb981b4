/**
 * Small building blocks every module shares: identifiers, time, paging, the typed API problems that the web
 * module turns into RFC 7807 responses, {@link io.engage.common.WriteBarrier} for asynchronous writers, the SQL
 * dialect and schema helpers for the few statements that differ between H2 and PostgreSQL, and
 * {@link io.engage.common.DatabaseOutages} to tell an unreachable database from a refused statement. Depends on no
 * other Engage module.
 */
package io.engage.common;
