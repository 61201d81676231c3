/**
 * Protocol analysis: cipher suites, groups and DH parameters, the findings of the enumeration,
 * client compatibility, policies and the local JVM policy. May depend on the API packages and
 * {@code registry}, on no other internal package. Not API.
 */
package dev.tlsinspect.internal.protocol;
