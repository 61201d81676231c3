/**
 * One inspection and its phases: planning, per-address probing, enumeration, fetching, the clock
 * reading, the list of built-in checks, the check context and the choice of root causes. The top
 * of the internal packages: may depend on the API packages and on {@code registry}, {@code cert},
 * {@code protocol} and {@code network}, never on {@code explain} or {@code logs}. Not API.
 */
package dev.tlsinspect.internal.inspect;
