/**
 * Certificate analysis: trust and path building, validity, hostname, revocation with its OCSP, CRL
 * and DER parsing, interception, size and certificate policy, and the checks built on them. May
 * depend on the API packages and {@code registry}, on no other internal package. Not API.
 */
package dev.tlsinspect.internal.cert;
