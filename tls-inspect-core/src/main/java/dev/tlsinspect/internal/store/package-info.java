/**
 * Local key and trust stores: reading a PKCS#12, JKS or PEM store file within a size cap, the
 * JDK's load errors explained, and the findings on its entries (expiry, key and certificate
 * mismatch, incomplete chains, empty trust, duplicate and unused aliases) behind
 * {@code dev.tlsinspect.StoreInspector}. May depend on the API packages and {@code registry}, on
 * no other internal package. Not API.
 */
package dev.tlsinspect.internal.store;
