/**
 * Demo data ({@code ENGAGE_DEMO=true}): a demo company with a published agent, its knowledge and a stable widget
 * key, so that a fresh install answers questions with no setup; and the demo shop's pages ({@code /demo},
 * {@code /demo/help}) that embed the widget. Public face: none.
 */
package io.engage.demo;
