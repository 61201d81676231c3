/**
 * Implementation of the inspector and the built-in checks. Not API: may change in any release.
 */
package dev.tlsinspect.internal;
