package dev.tlsinspect.testing;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A certificate with its key pair and the chain it was issued under, as produced by
 * {@link CertificateBuilder#build()}.
 *
 * <p>{@link #chain()} is this certificate followed by its issuer's chain, up to and including
 * the root: for a leaf issued by an intermediate issued by a root it is {@code [leaf,
 * intermediate, root]}; for a self-signed certificate it is {@code [certificate]}. A server
 * normally sends {@link #chainWithoutRoot()}.
 *
 * @param certificate the certificate
 * @param privateKey the private key matching the certificate's public key
 * @param publicKey the certificate's public key
 * @param chain this certificate followed by its issuers; never empty, first element is
 *     {@code certificate}
 * @since 0.1.0
 */
public record IssuedCertificate(
        X509Certificate certificate, PrivateKey privateKey, PublicKey publicKey, List<X509Certificate> chain) {

    /**
     * Checks and copies the components.
     *
     * @param certificate the certificate
     * @param privateKey the private key matching the certificate's public key
     * @param publicKey the certificate's public key
     * @param chain this certificate followed by its issuers
     * @throws IllegalArgumentException if {@code chain} does not start with {@code certificate},
     *     or {@code publicKey} is not the certificate's public key
     */
    public IssuedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(publicKey, "publicKey");
        chain = List.copyOf(Objects.requireNonNull(chain, "chain"));
        if (chain.isEmpty() || !chain.get(0).equals(certificate)) {
            throw new IllegalArgumentException("chain must start with the certificate itself");
        }
        if (!Arrays.equals(publicKey.getEncoded(), certificate.getPublicKey().getEncoded())) {
            throw new IllegalArgumentException("publicKey is not the certificate's public key");
        }
    }

    /**
     * Returns the key pair of this certificate.
     *
     * @return a new {@code KeyPair} of {@link #publicKey()} and {@link #privateKey()}
     * @since 0.1.0
     */
    public KeyPair keyPair() {
        return new KeyPair(publicKey, privateKey);
    }

    /**
     * Returns the issuers of this certificate, nearest first, including the root.
     *
     * @return {@code chain()} without its first element; empty for a self-signed certificate
     * @since 0.1.0
     */
    public List<X509Certificate> issuerChain() {
        return chain.subList(1, chain.size());
    }

    /**
     * Returns the last certificate of the chain: the root for an issued certificate, this
     * certificate when it is self-signed.
     *
     * @return the last element of {@link #chain()}
     * @since 0.1.0
     */
    public X509Certificate root() {
        return chain.get(chain.size() - 1);
    }

    /**
     * Returns the chain a correctly configured server sends: this certificate and its
     * intermediates, without a self-signed root at the end.
     *
     * @return {@link #chain()} without a trailing self-signed certificate, but never empty
     * @since 0.1.0
     */
    public List<X509Certificate> chainWithoutRoot() {
        if (chain.size() > 1 && isSelfIssued(root())) {
            return chain.subList(0, chain.size() - 1);
        }
        return chain;
    }

    /**
     * Returns this certificate in PEM form.
     *
     * @return a {@code -----BEGIN CERTIFICATE-----} block ending with a newline
     * @since 0.1.0
     */
    public String toPem() {
        return pem(certificate);
    }

    /**
     * Returns the whole {@link #chain()} in PEM form, this certificate first.
     *
     * @return concatenated {@code CERTIFICATE} blocks
     * @since 0.1.0
     */
    public String chainToPem() {
        return pem(chain);
    }

    /**
     * Returns the private key in unencrypted PKCS#8 PEM form.
     *
     * @return a {@code -----BEGIN PRIVATE KEY-----} block ending with a newline
     * @since 0.1.0
     */
    public String privateKeyPem() {
        return pemBlock("PRIVATE KEY", privateKey.getEncoded());
    }

    /**
     * Encodes certificates in PEM form.
     *
     * @param certificates the certificates, in the order wanted
     * @return concatenated {@code CERTIFICATE} blocks, each ending with a newline
     * @since 0.1.0
     */
    public static String pem(X509Certificate... certificates) {
        return pem(Arrays.asList(certificates));
    }

    /**
     * Encodes certificates in PEM form.
     *
     * @param certificates the certificates, in the order wanted
     * @return concatenated {@code CERTIFICATE} blocks, each ending with a newline
     * @since 0.1.0
     */
    public static String pem(List<? extends X509Certificate> certificates) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                out.append(pemBlock("CERTIFICATE", Objects.requireNonNull(certificate, "certificate").getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("cannot encode certificate", e);
            }
        }
        return out.toString();
    }

    /** Summarizes without the private key and without the (possibly huge) certificate dump. */
    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + certificate.getSubjectX500Principal().getName()
                + ", issuer=" + certificate.getIssuerX500Principal().getName()
                + ", serial=" + certificate.getSerialNumber().toString(16)
                + ", notAfter=" + certificate.getNotAfter().toInstant()
                + ", key=" + publicKey.getAlgorithm()
                + ", chainLength=" + chain.size() + "]";
    }

    static boolean isSelfIssued(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static String pemBlock(String type, byte[] der) {
        String base64 = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + base64 + "\n-----END " + type + "-----\n";
    }
}
