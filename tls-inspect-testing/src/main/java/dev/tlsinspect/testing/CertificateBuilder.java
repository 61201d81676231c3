package dev.tlsinspect.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * Builds X.509 certificates for tests: roots, intermediates and leaves, well-formed or with a
 * chosen fault (expired, not yet valid, wrong name, weak key, weak signature, missing or
 * critical extensions, huge SAN lists).
 *
 * <pre>{@code
 * IssuedCertificate root = CertificateBuilder.root("Test Root").build();
 * IssuedCertificate ca = CertificateBuilder.intermediate("Test CA").issuedBy(root).build();
 * IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(ca).build();
 * IssuedCertificate old = CertificateBuilder.leaf("localhost").issuedBy(ca).expired().build();
 * }</pre>
 *
 * <p>Defaults: RSA 2048 keys, validity from one hour ago to 90 days from now (read from the
 * {@link #clock(Clock) clock}), a random positive 64-bit serial, and a signature algorithm
 * matching the <em>issuer's</em> key ({@code SHA256withRSA} or {@code SHA256withECDSA}). Every
 * certificate gets subject and authority key identifiers. Roots and intermediates get critical
 * {@code basicConstraints CA:true} and {@code keyUsage keyCertSign, cRLSign}. Leaves get
 * critical {@code basicConstraints CA:false}, {@code keyUsage digitalSignature,
 * keyEncipherment} ({@code digitalSignature} only for EC keys), {@code extendedKeyUsage
 * serverAuth}, and a subject alternative name equal to the common name when it looks like a
 * DNS name or an IP address.
 *
 * <p><b>Key reuse.</b> Generating an RSA key costs 50 to 200 ms, so by default keys are
 * generated lazily once per JVM and reused, one per (key type, size or curve, role), where the
 * role is root, intermediate or leaf. A root, its intermediate and its leaf therefore have
 * different keys, but two roots built in the same JVM share a key. Call {@link #freshKey()}
 * when a certificate must have a key of its own (for example an impostor root with the same
 * name), or pass a key with {@link #keyPair(KeyPair)}.
 *
 * <p>Bouncy Castle is used through a private provider instance; nothing is installed into
 * {@code java.security.Security}. The certificates returned are the JDK's own
 * {@code X509Certificate} implementation whenever the JDK can parse the encoding.
 *
 * <p>A builder is not thread-safe; {@link #build()} may be called more than once and gives a
 * new certificate (new serial) each time.
 *
 * @since 0.1.0
 */
public final class CertificateBuilder {

    /**
     * Key usage bit {@code digitalSignature}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int DIGITAL_SIGNATURE = KeyUsage.digitalSignature;
    /**
     * Key usage bit {@code nonRepudiation}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int NON_REPUDIATION = KeyUsage.nonRepudiation;
    /**
     * Key usage bit {@code keyEncipherment}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int KEY_ENCIPHERMENT = KeyUsage.keyEncipherment;
    /**
     * Key usage bit {@code dataEncipherment}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int DATA_ENCIPHERMENT = KeyUsage.dataEncipherment;
    /**
     * Key usage bit {@code keyAgreement}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int KEY_AGREEMENT = KeyUsage.keyAgreement;
    /**
     * Key usage bit {@code keyCertSign}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int KEY_CERT_SIGN = KeyUsage.keyCertSign;
    /**
     * Key usage bit {@code cRLSign}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int CRL_SIGN = KeyUsage.cRLSign;
    /**
     * Key usage bit {@code encipherOnly}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int ENCIPHER_ONLY = KeyUsage.encipherOnly;
    /**
     * Key usage bit {@code decipherOnly}, for {@link #keyUsage(int)}.
     *
     * @since 0.1.0
     */
    public static final int DECIPHER_ONLY = KeyUsage.decipherOnly;

    private static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Duration SHIFT = Duration.ofDays(10);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ConcurrentMap<String, KeyPair> KEY_POOL = new ConcurrentHashMap<>();
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private enum Role { ROOT, INTERMEDIATE, LEAF }

    private enum KeyType { RSA, EC }

    private record CustomExtension(String oid, boolean critical, byte[] value) {}

    private final Role role;
    private final String commonName;
    private IssuedCertificate issuer;
    private String subject;
    private Clock clock = Clock.systemUTC();
    private Instant validFrom;
    private Instant validUntil;
    private Duration validity = DEFAULT_VALIDITY;
    private boolean expired;
    private boolean notYetValid;
    private List<String> dnsNames;
    private List<String> ipAddresses;
    private int extraSubjectAltNames;
    private boolean noSubjectAltName;
    private boolean criticalSubjectAltName;
    private KeyType keyType = KeyType.RSA;
    private int rsaBits = 2048;
    private String ecCurve = "secp256r1";
    private KeyPair keyPair;
    private boolean reuseKeys = true;
    private String signatureAlgorithm;
    private List<String> extendedKeyUsage;
    private Integer keyUsage;
    private boolean noKeyUsage;
    private boolean noBasicConstraints;
    private boolean noKeyIdentifiers;
    private int pathLength = -1;
    private String caIssuersUrl;
    private String ocspUrl;
    private String crlUrl;
    private BigInteger serial;
    private final List<CustomExtension> customExtensions = new ArrayList<>();

    private CertificateBuilder(Role role, String commonName) {
        this.role = role;
        this.commonName = Objects.requireNonNull(commonName, "commonName");
    }

    /**
     * Starts a self-signed root CA certificate.
     *
     * @param commonName the subject's CN
     * @return a new builder
     * @since 0.1.0
     */
    public static CertificateBuilder root(String commonName) {
        return new CertificateBuilder(Role.ROOT, commonName);
    }

    /**
     * Starts an intermediate CA certificate; {@link #issuedBy(IssuedCertificate)} is required.
     *
     * @param commonName the subject's CN
     * @return a new builder
     * @since 0.1.0
     */
    public static CertificateBuilder intermediate(String commonName) {
        return new CertificateBuilder(Role.INTERMEDIATE, commonName);
    }

    /**
     * Starts an end-entity (server) certificate. Without {@link #issuedBy(IssuedCertificate)}
     * it is self-signed.
     *
     * @param commonName the subject's CN; also the default DNS or IP subject alternative name
     *     when it looks like one
     * @return a new builder
     * @since 0.1.0
     */
    public static CertificateBuilder leaf(String commonName) {
        return new CertificateBuilder(Role.LEAF, commonName);
    }

    /**
     * Signs with the given issuer's key and names it as issuer. Without this the certificate is
     * self-signed.
     *
     * @param issuer the issuing certificate and key
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder issuedBy(IssuedCertificate issuer) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        return this;
    }

    /**
     * Replaces the subject distinguished name (default {@code CN=<commonName>}). The common
     * name given to the factory method is still used for the default subject alternative name.
     *
     * @param x500Name an RFC 2253 name such as {@code "CN=a, O=b"}, or {@code ""} for an empty
     *     subject (the subject alternative name is then marked critical, as RFC 5280 requires)
     * @return this builder
     * @throws IllegalArgumentException if the name cannot be parsed
     * @since 0.1.0
     */
    public CertificateBuilder subject(String x500Name) {
        new X500Principal(Objects.requireNonNull(x500Name, "x500Name"));
        this.subject = x500Name;
        return this;
    }

    /**
     * Sets the clock the default validity period is computed from.
     *
     * @param clock the clock; default {@link Clock#systemUTC()}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Sets notBefore explicitly, overriding the default and {@link #notYetValid()}.
     *
     * @param notBefore the start of validity (truncated to seconds)
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder validFrom(Instant notBefore) {
        this.validFrom = Objects.requireNonNull(notBefore, "notBefore");
        return this;
    }

    /**
     * Sets notAfter explicitly, overriding the default and {@link #expired()}. A notAfter
     * before notBefore is allowed, to test inverted validity.
     *
     * @param notAfter the end of validity (truncated to seconds)
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder validUntil(Instant notAfter) {
        this.validUntil = Objects.requireNonNull(notAfter, "notAfter");
        return this;
    }

    /**
     * Sets the length of the default validity period (default 90 days).
     *
     * @param validity a positive duration
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder validity(Duration validity) {
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("validity must be positive: " + validity);
        }
        this.validity = validity;
        return this;
    }

    /**
     * Makes the certificate expired: notAfter is 10 days before now and notBefore is the
     * {@link #validity(Duration) validity} before that.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder expired() {
        this.expired = true;
        this.notYetValid = false;
        return this;
    }

    /**
     * Makes the certificate not yet valid: notBefore is 10 days after now and notAfter is the
     * {@link #validity(Duration) validity} after that.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder notYetValid() {
        this.notYetValid = true;
        this.expired = false;
        return this;
    }

    /**
     * Sets the DNS subject alternative names, replacing the default taken from the common
     * name. Names are not checked, so wildcards and malformed names can be tested.
     *
     * @param names the DNS names; may be many thousands
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder dnsNames(String... names) {
        this.dnsNames = copyOf(names, "names");
        return this;
    }

    /**
     * Sets the IP address subject alternative names, replacing the default taken from a common
     * name that is an IP literal.
     *
     * @param addresses IPv4 or IPv6 literals such as {@code "127.0.0.1"} or {@code "::1"}
     * @return this builder
     * @throws IllegalArgumentException if an address is not a literal
     * @since 0.1.0
     */
    public CertificateBuilder ipAddresses(String... addresses) {
        List<String> copy = copyOf(addresses, "addresses");
        for (String address : copy) {
            if (!isIpLiteral(address)) {
                throw new IllegalArgumentException("not an IP literal: " + address);
            }
        }
        this.ipAddresses = copy;
        return this;
    }

    /**
     * Appends {@code count} generated DNS names ({@code san-1.extra.test}, ...) to the subject
     * alternative names, for certificates with very many names.
     *
     * @param count how many names to add, zero or more
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder extraSubjectAltNames(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative: " + count);
        }
        this.extraSubjectAltNames = count;
        return this;
    }

    /**
     * Leaves out the subject alternative name extension entirely.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder noSubjectAltName() {
        this.noSubjectAltName = true;
        return this;
    }

    /**
     * Marks the subject alternative name extension critical (it always is when the subject is
     * empty).
     *
     * @param critical whether to mark it critical
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder criticalSubjectAltName(boolean critical) {
        this.criticalSubjectAltName = critical;
        return this;
    }

    /**
     * Uses an RSA key of the given size (the default is RSA 2048).
     *
     * @param bits the modulus size, 512 or more (512 and 1024 are allowed for weak-key tests)
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder rsa(int bits) {
        if (bits < 512) {
            throw new IllegalArgumentException("RSA key size must be at least 512: " + bits);
        }
        this.keyType = KeyType.RSA;
        this.rsaBits = bits;
        return this;
    }

    /**
     * Uses an EC key on the given named curve. Curves the JDK cannot generate (for example
     * {@code brainpoolP256r1} on Java 17) are generated with Bouncy Castle.
     *
     * @param curve a curve name such as {@code "secp256r1"} or {@code "secp384r1"}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder ec(String curve) {
        Objects.requireNonNull(curve, "curve");
        if (curve.isBlank()) {
            throw new IllegalArgumentException("curve must not be blank");
        }
        this.keyType = KeyType.EC;
        this.ecCurve = curve;
        return this;
    }

    /**
     * Uses the given key pair instead of a generated one.
     *
     * @param keyPair the subject's key pair
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder keyPair(KeyPair keyPair) {
        this.keyPair = Objects.requireNonNull(keyPair, "keyPair");
        return this;
    }

    /**
     * Chooses whether to reuse a pooled key of the same type, size and role (default
     * {@code true}); see the class description.
     *
     * @param reuse {@code false} to generate a new key on every {@link #build()}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder reuseKeys(boolean reuse) {
        this.reuseKeys = reuse;
        return this;
    }

    /**
     * Generates a new key for this certificate instead of reusing a pooled one; the same as
     * {@code reuseKeys(false)}.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder freshKey() {
        return reuseKeys(false);
    }

    /**
     * Sets the JCA signature algorithm the issuer signs with, overriding the default derived
     * from the issuer's key.
     *
     * @param algorithm for example {@code "SHA256withRSA"}, {@code "SHA1withRSA"},
     *     {@code "MD5withRSA"}, {@code "SHA384withECDSA"}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder signatureAlgorithm(String algorithm) {
        this.signatureAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /**
     * Sets the extended key usage, replacing the default.
     *
     * @param purposes the purposes; none gives an empty (invalid) extension
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder extendedKeyUsage(KeyPurpose... purposes) {
        List<String> oids = new ArrayList<>();
        for (KeyPurpose purpose : copyOf(purposes, "purposes")) {
            oids.add(purpose.oid());
        }
        this.extendedKeyUsage = List.copyOf(oids);
        return this;
    }

    /**
     * Sets the extended key usage by OID, replacing the default.
     *
     * @param oids dotted OIDs such as {@code "1.3.6.1.5.5.7.3.2"}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder extendedKeyUsage(String... oids) {
        List<String> copy = copyOf(oids, "oids");
        copy.forEach(ASN1ObjectIdentifier::new);
        this.extendedKeyUsage = copy;
        return this;
    }

    /**
     * Leaves out the extended key usage extension.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder noExtendedKeyUsage() {
        this.extendedKeyUsage = List.of();
        return this;
    }

    /**
     * Sets the key usage bits, replacing the default. The extension is critical.
     *
     * @param bits an OR of {@link #DIGITAL_SIGNATURE}, {@link #KEY_ENCIPHERMENT},
     *     {@link #KEY_CERT_SIGN}, ...
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder keyUsage(int bits) {
        this.keyUsage = bits;
        this.noKeyUsage = false;
        return this;
    }

    /**
     * Leaves out the key usage extension.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder noKeyUsage() {
        this.noKeyUsage = true;
        return this;
    }

    /**
     * Leaves out the basic constraints extension (a CA certificate without it is not a CA to
     * an RFC 5280 validator).
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder noBasicConstraints() {
        this.noBasicConstraints = true;
        return this;
    }

    /**
     * Leaves out the subject and authority key identifier extensions, as some private CA tools
     * do (RFC 5280 §4.2.1.1 and §4.2.1.2 require them; the JDK does not).
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder noKeyIdentifiers() {
        this.noKeyIdentifiers = true;
        return this;
    }

    /**
     * Sets the path length constraint of a CA certificate (default: none).
     *
     * @param maxIntermediates the number of intermediates allowed below this CA
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder pathLength(int maxIntermediates) {
        if (maxIntermediates < 0) {
            throw new IllegalArgumentException("pathLength must not be negative: " + maxIntermediates);
        }
        this.pathLength = maxIntermediates;
        return this;
    }

    /**
     * Adds an authority information access entry pointing to the issuer's certificate.
     *
     * @param url for example {@code "http://127.0.0.1:8080/ca.der"}
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder caIssuersUrl(String url) {
        this.caIssuersUrl = Objects.requireNonNull(url, "url");
        return this;
    }

    /**
     * Adds an authority information access entry pointing to an OCSP responder.
     *
     * @param url the responder URL
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder ocspUrl(String url) {
        this.ocspUrl = Objects.requireNonNull(url, "url");
        return this;
    }

    /**
     * Adds a CRL distribution point.
     *
     * @param url the CRL URL
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder crlUrl(String url) {
        this.crlUrl = Objects.requireNonNull(url, "url");
        return this;
    }

    /**
     * Sets the serial number (default: a random positive 64-bit number per build).
     *
     * @param serial the serial; zero and negative values are allowed for malformed-cert tests
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder serial(BigInteger serial) {
        this.serial = Objects.requireNonNull(serial, "serial");
        return this;
    }

    /**
     * Adds an arbitrary extension, for example an unknown critical one.
     *
     * @param oid the extension OID in dotted form
     * @param critical whether it is critical
     * @param derValue the DER encoding of the extension value (the content of the
     *     extnValue OCTET STRING)
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder extension(String oid, boolean critical, byte[] derValue) {
        new ASN1ObjectIdentifier(Objects.requireNonNull(oid, "oid"));
        customExtensions.add(new CustomExtension(oid, critical, Objects.requireNonNull(derValue, "derValue").clone()));
        return this;
    }

    /**
     * Adds the TLS feature extension (RFC 7633, 1.3.6.1.5.5.7.1.24) asking for status_request:
     * OCSP must-staple. Firefox refuses such a certificate unless the server staples a response.
     *
     * @return this builder
     * @since 0.1.0
     */
    public CertificateBuilder mustStaple() {
        return extension("1.3.6.1.5.5.7.1.24", false, new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});
    }

    /**
     * Embeds a Certificate Transparency SCT list (1.3.6.1.4.1.11129.2.4.2) of {@code count}
     * well-formed but made-up SCTs (version 1, a zero log id, no valid signature): what a public
     * CA puts in every certificate, for testing checks that look for it, not for verifying it.
     *
     * @param count how many SCTs, 1 to 10
     * @return this builder
     * @throws IllegalArgumentException when the count is out of range
     * @since 0.1.0
     */
    public CertificateBuilder embeddedScts(int count) {
        return extension("1.3.6.1.4.1.11129.2.4.2", false, derOctetString(sctList(count)));
    }

    /**
     * A TLS-encoded SignedCertificateTimestampList (RFC 6962 §3.3) of {@code count} made-up SCTs,
     * as embedded in certificates and OCSP responses.
     *
     * @param count how many SCTs, 1 to 10
     * @return the list bytes
     * @throws IllegalArgumentException when the count is out of range
     * @since 0.1.0
     */
    public static byte[] sctList(int count) {
        if (count < 1 || count > 10) {
            throw new IllegalArgumentException("count must be between 1 and 10, got " + count);
        }
        // version(1) log_id(32) timestamp(8) extensions(2) hash(1) sig(1) signature length(2) + 8
        int sctLength = 1 + 32 + 8 + 2 + 1 + 1 + 2 + 8;
        int total = count * (2 + sctLength);
        byte[] out = new byte[2 + total];
        out[0] = (byte) (total >> 8);
        out[1] = (byte) total;
        for (int i = 0, p = 2; i < count; i++, p += 2 + sctLength) {
            out[p] = (byte) (sctLength >> 8);
            out[p + 1] = (byte) sctLength;
            out[p + 2 + 33 + 7] = (byte) i; // timestamp
            out[p + 2 + 43] = 4; // sha256
            out[p + 2 + 44] = 3; // ecdsa
            out[p + 2 + 46] = 8; // signature length
        }
        return out;
    }

    private static byte[] derOctetString(byte[] content) {
        try {
            return new org.bouncycastle.asn1.DEROctetString(content).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Generates the key (or takes a pooled one) and signs the certificate.
     *
     * @return the certificate, its keys and its chain
     * @throws IllegalStateException if an intermediate has no issuer, or the key or signature
     *     cannot be produced (for example a signature algorithm that does not fit the issuer's
     *     key)
     * @since 0.1.0
     */
    public IssuedCertificate build() {
        if (role == Role.INTERMEDIATE && issuer == null) {
            throw new IllegalStateException("an intermediate needs issuedBy(...)");
        }
        KeyPair subjectKeys = keyPair != null ? keyPair : subjectKeyPair();
        X500Name subjectName = subjectName();
        X500Name issuerName;
        PrivateKey signingKey;
        PublicKey issuerPublicKey;
        if (issuer == null) {
            issuerName = subjectName;
            signingKey = subjectKeys.getPrivate();
            issuerPublicKey = subjectKeys.getPublic();
        } else {
            issuerName = X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
            signingKey = issuer.privateKey();
            issuerPublicKey = issuer.publicKey();
        }

        Instant now = clock.instant();
        Instant notBefore;
        Instant notAfter;
        if (expired) {
            notAfter = now.minus(SHIFT);
            notBefore = notAfter.minus(validity);
        } else if (notYetValid) {
            notBefore = now.plus(SHIFT);
            notAfter = notBefore.plus(validity);
        } else {
            notBefore = now.minus(BACKDATE);
            notAfter = now.plus(validity);
        }
        if (validFrom != null) {
            notBefore = validFrom;
        }
        if (validUntil != null) {
            notAfter = validUntil;
        }

        try {
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    issuerName,
                    serial != null ? serial : randomSerial(),
                    Date.from(notBefore.truncatedTo(ChronoUnit.SECONDS)),
                    Date.from(notAfter.truncatedTo(ChronoUnit.SECONDS)),
                    subjectName,
                    subjectKeys.getPublic());
            addExtensions(builder, subjectName, subjectKeys.getPublic(), issuerPublicKey);
            String algorithm = signatureAlgorithm != null ? signatureAlgorithm : defaultSignatureAlgorithm(signingKey);
            ContentSigner signer = new JcaContentSignerBuilder(algorithm)
                    .setProvider(Bc.PROVIDER)
                    .setSecureRandom(RANDOM)
                    .build(signingKey);
            X509Certificate certificate = toJdkCertificate(builder.build(signer));
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(certificate);
            if (issuer != null) {
                chain.addAll(issuer.chain());
            }
            return new IssuedCertificate(certificate, subjectKeys.getPrivate(), subjectKeys.getPublic(), chain);
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build certificate for " + subjectName + ": " + e.getMessage(), e);
        }
    }

    private void addExtensions(X509v3CertificateBuilder builder, X500Name subjectName, PublicKey subjectKey,
            PublicKey issuerKey) throws CertIOException, GeneralSecurityException, IOException {
        JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
        boolean ca = role != Role.LEAF;

        if (!noBasicConstraints) {
            BasicConstraints constraints = !ca ? new BasicConstraints(false)
                    : pathLength >= 0 ? new BasicConstraints(pathLength) : new BasicConstraints(true);
            builder.addExtension(Extension.basicConstraints, true, constraints);
        }
        if (!noKeyUsage) {
            int bits = keyUsage != null ? keyUsage
                    : ca ? KEY_CERT_SIGN | CRL_SIGN
                    : "EC".equals(subjectKey.getAlgorithm()) ? DIGITAL_SIGNATURE
                    : DIGITAL_SIGNATURE | KEY_ENCIPHERMENT;
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(bits));
        }
        List<String> ekus = extendedKeyUsage != null ? extendedKeyUsage
                : ca ? List.of() : List.of(KeyPurpose.SERVER_AUTH.oid());
        if (!ekus.isEmpty()) {
            KeyPurposeId[] ids = ekus.stream()
                    .map(oid -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(oid)))
                    .toArray(KeyPurposeId[]::new);
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(ids));
        }

        List<GeneralName> names = subjectAltNames();
        if (!names.isEmpty()) {
            boolean critical = criticalSubjectAltName || subjectName.getRDNs().length == 0;
            builder.addExtension(Extension.subjectAlternativeName, critical,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
        }

        if (!noKeyIdentifiers) {
            SubjectKeyIdentifier ski = utils.createSubjectKeyIdentifier(subjectKey);
            builder.addExtension(Extension.subjectKeyIdentifier, false, ski);
            byte[] authorityKeyId = issuer == null ? ski.getKeyIdentifier() : issuerKeyIdentifier(utils, issuerKey);
            builder.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));
        }

        List<AccessDescription> access = new ArrayList<>();
        if (ocspUrl != null) {
            access.add(new AccessDescription(AccessDescription.id_ad_ocsp, uri(ocspUrl)));
        }
        if (caIssuersUrl != null) {
            access.add(new AccessDescription(AccessDescription.id_ad_caIssuers, uri(caIssuersUrl)));
        }
        if (!access.isEmpty()) {
            builder.addExtension(Extension.authorityInfoAccess, false,
                    new AuthorityInformationAccess(access.toArray(AccessDescription[]::new)));
        }
        if (crlUrl != null) {
            DistributionPoint point = new DistributionPoint(
                    new DistributionPointName(new GeneralNames(uri(crlUrl))), null, null);
            builder.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {point}));
        }
        for (CustomExtension extension : customExtensions) {
            builder.addExtension(new ASN1ObjectIdentifier(extension.oid()), extension.critical(), extension.value());
        }
    }

    /** Uses the issuer's own SKI so that the AKI matches it even for certificates built elsewhere. */
    private byte[] issuerKeyIdentifier(JcaX509ExtensionUtils utils, PublicKey issuerKey) throws IOException {
        byte[] extension = issuer.certificate().getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension != null) {
            ASN1Primitive inner = ASN1Primitive.fromByteArray(octets(extension));
            return SubjectKeyIdentifier.getInstance(inner).getKeyIdentifier();
        }
        return utils.createSubjectKeyIdentifier(issuerKey).getKeyIdentifier();
    }

    private static byte[] octets(byte[] extensionValue) {
        return DEROctetString.getInstance(extensionValue).getOctets();
    }

    private List<GeneralName> subjectAltNames() {
        List<GeneralName> names = new ArrayList<>();
        if (noSubjectAltName) {
            return names;
        }
        boolean cnIsIp = isIpLiteral(commonName);
        List<String> dns = dnsNames != null ? dnsNames
                : role == Role.LEAF && !cnIsIp && DNS_NAME.matcher(commonName).matches() ? List.of(commonName)
                : List.of();
        List<String> ips = ipAddresses != null ? ipAddresses
                : role == Role.LEAF && cnIsIp ? List.of(commonName)
                : List.of();
        for (String name : dns) {
            names.add(new GeneralName(GeneralName.dNSName, name));
        }
        for (String ip : ips) {
            names.add(new GeneralName(GeneralName.iPAddress, ip));
        }
        for (int i = 1; i <= extraSubjectAltNames; i++) {
            names.add(new GeneralName(GeneralName.dNSName, "san-" + i + ".extra.test"));
        }
        return names;
    }

    private X500Name subjectName() {
        if (subject != null) {
            return X500Name.getInstance(new X500Principal(subject).getEncoded());
        }
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private KeyPair subjectKeyPair() {
        String spec = keyType == KeyType.RSA ? "RSA-" + rsaBits : "EC-" + ecCurve;
        if (!reuseKeys) {
            return generate();
        }
        return KEY_POOL.computeIfAbsent(spec + "/" + role, key -> generate());
    }

    private KeyPair generate() {
        try {
            if (keyType == KeyType.RSA) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(rsaBits, RANDOM);
                return generator.generateKeyPair();
            }
            ECGenParameterSpec curve = new ECGenParameterSpec(ecCurve);
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(curve, RANDOM);
                return generator.generateKeyPair();
            } catch (GeneralSecurityException jdkCannot) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
                generator.initialize(curve, RANDOM);
                return generator.generateKeyPair();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate " + keyType + " key: " + e.getMessage(), e);
        }
    }

    private static String defaultSignatureAlgorithm(PrivateKey signingKey) {
        String algorithm = signingKey.getAlgorithm().toUpperCase(Locale.ROOT);
        switch (algorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSASSA-PSS":
                return "SHA256withRSAandMGF1";
            case "ED25519":
                return "Ed25519";
            case "ED448":
                return "Ed448";
            default:
                throw new IllegalStateException("no default signature algorithm for " + algorithm
                        + " keys; set signatureAlgorithm(...)");
        }
    }

    /** The JDK's own implementation is what JSSE and CertPathValidator see in production. */
    private static X509Certificate toJdkCertificate(X509CertificateHolder holder) throws IOException, CertificateException {
        byte[] encoded = holder.getEncoded();
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(encoded));
        } catch (CertificateException jdkCannotParse) {
            return new JcaX509CertificateConverter().setProvider(Bc.PROVIDER).getCertificate(holder);
        }
    }

    private static BigInteger randomSerial() {
        BigInteger value;
        do {
            value = new BigInteger(64, RANDOM);
        } while (value.signum() == 0);
        return value;
    }

    private static GeneralName uri(String url) {
        return new GeneralName(GeneralName.uniformResourceIdentifier, url);
    }

    private static boolean isIpLiteral(String value) {
        return IPAddress.isValid(value);
    }

    private static <T> List<T> copyOf(T[] values, String name) {
        Objects.requireNonNull(values, name);
        return List.copyOf(Arrays.asList(values));
    }

    /** The private Bouncy Castle provider; never installed into {@code java.security.Security}. */
    static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();

        private Bc() {}
    }
}
