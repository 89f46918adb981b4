/**
 * Demo data ({@code ENGAGE_DEMO=true}): a demo company with a published agent, its knowledge and a stable widget
 * key, so that a fresh install answers questions with no setup. Public face: none.
 */
package io.engage.demo;
