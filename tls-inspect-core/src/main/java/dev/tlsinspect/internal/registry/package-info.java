/**
 * Leaf tables that the API and the analysis both read: the IANA cipher suite registry
 * ({@code cipher-suites.tsv}) and the JVM's TLS security and system properties. Depends on the JDK
 * only, so that API values such as {@code CipherSuite} can use it without a cycle. Not API: the
 * module does not export it.
 */
package dev.tlsinspect.internal.registry;
