package dev.tlsinspect.testing;

/**
 * Extended key usage purposes (RFC 5280 section 4.2.1.12) for
 * {@link CertificateBuilder#extendedKeyUsage(KeyPurpose...)}. Any other purpose can be given by
 * OID with {@link CertificateBuilder#extendedKeyUsage(String...)}.
 *
 * @since 0.1.0
 */
public enum KeyPurpose {
    /** TLS server authentication, {@code 1.3.6.1.5.5.7.3.1}. */
    SERVER_AUTH("1.3.6.1.5.5.7.3.1"),
    /** TLS client authentication, {@code 1.3.6.1.5.5.7.3.2}. */
    CLIENT_AUTH("1.3.6.1.5.5.7.3.2"),
    /** Code signing, {@code 1.3.6.1.5.5.7.3.3}. */
    CODE_SIGNING("1.3.6.1.5.5.7.3.3"),
    /** E-mail protection (S/MIME), {@code 1.3.6.1.5.5.7.3.4}. */
    EMAIL_PROTECTION("1.3.6.1.5.5.7.3.4"),
    /** Time stamping, {@code 1.3.6.1.5.5.7.3.8}. */
    TIME_STAMPING("1.3.6.1.5.5.7.3.8"),
    /** OCSP response signing, {@code 1.3.6.1.5.5.7.3.9}. */
    OCSP_SIGNING("1.3.6.1.5.5.7.3.9"),
    /** Any extended key usage, {@code 2.5.29.37.0}. */
    ANY("2.5.29.37.0");

    private final String oid;

    KeyPurpose(String oid) {
        this.oid = oid;
    }

    /**
     * Returns the object identifier of this purpose in dotted form.
     *
     * @return the OID, for example {@code "1.3.6.1.5.5.7.3.1"}
     * @since 0.1.0
     */
    public String oid() {
        return oid;
    }
}
