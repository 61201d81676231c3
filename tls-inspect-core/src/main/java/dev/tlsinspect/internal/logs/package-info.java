/**
 * Reading server logs: the line scanner, the rules and the OpenSSL error table behind
 * {@code dev.tlsinspect.logs.LogAnalyzer}. May depend on the API packages and {@code registry}, on no
 * other internal package. Not API.
 */
package dev.tlsinspect.internal.logs;
