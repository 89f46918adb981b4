/**
 * Small building blocks every module shares: identifiers, time, paging and the typed API problems that the web
 * module turns into RFC 7807 responses. Depends on no other Engage module.
 */
package io.engage.common;
