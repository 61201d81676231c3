/**
 * Explaining a caught exception: the exception chain, the rules that map messages to codes, the
 * confirmations, and the verifier that checks an explanation against a live report. May depend on
 * the API packages and {@code registry}, on no other internal package. Not API.
 */
package dev.tlsinspect.internal.explain;
