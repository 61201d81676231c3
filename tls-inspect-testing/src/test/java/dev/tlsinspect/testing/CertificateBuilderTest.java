package dev.tlsinspect.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateBuilderTest {

    private static final String SAN = Extension.subjectAlternativeName.getId();
    private static final String BASIC_CONSTRAINTS = Extension.basicConstraints.getId();

    private static IssuedCertificate root;
    private static IssuedCertificate intermediate;

    @BeforeAll
    static void chain() {
        root = CertificateBuilder.root("Test Root").build();
        intermediate = CertificateBuilder.intermediate("Test Intermediate").issuedBy(root).build();
    }

    @Test
    void rootIntermediateLeaf_validatesWithJdkCertPathValidator() throws Exception {
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();

        PKIXCertPathValidatorResult result = validate(leaf.chainWithoutRoot(), root.certificate(), new Date());

        assertEquals(root.certificate(), result.getTrustAnchor().getTrustedCert());
        assertEquals(List.of(leaf.certificate(), intermediate.certificate(), root.certificate()), leaf.chain());
        assertEquals(List.of(leaf.certificate(), intermediate.certificate()), leaf.chainWithoutRoot());
        assertEquals(List.of(intermediate.certificate(), root.certificate()), leaf.issuerChain());
        assertEquals(root.certificate(), leaf.root());
        assertEquals("CN=localhost", leaf.certificate().getSubjectX500Principal().getName());
        assertEquals("CN=Test Intermediate", leaf.certificate().getIssuerX500Principal().getName());
        assertEquals("CN=Test Root", root.certificate().getIssuerX500Principal().getName());
        assertEquals(List.of(root.certificate()), root.chain());
        assertEquals(List.of(root.certificate()), root.chainWithoutRoot());
    }

    @Test
    void defaults_caAndLeafExtensions() throws Exception {
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();

        assertEquals(Integer.MAX_VALUE, root.certificate().getBasicConstraints());
        assertEquals(Integer.MAX_VALUE, intermediate.certificate().getBasicConstraints());
        assertEquals(-1, leaf.certificate().getBasicConstraints());
        assertTrue(root.certificate().getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS));
        assertTrue(leaf.certificate().getCriticalExtensionOIDs().contains(BASIC_CONSTRAINTS));
        // keyUsage bits: 0 digitalSignature, 2 keyEncipherment, 5 keyCertSign, 6 cRLSign
        assertArrayEquals(new boolean[] {false, false, false, false, false, true, true, false, false},
                root.certificate().getKeyUsage());
        assertArrayEquals(new boolean[] {true, false, true, false, false, false, false, false, false},
                leaf.certificate().getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), leaf.certificate().getExtendedKeyUsage());
        assertNull(root.certificate().getExtendedKeyUsage());
        assertEquals("SHA256withRSA", leaf.certificate().getSigAlgName());
        assertEquals(2048, ((RSAPublicKey) leaf.publicKey()).getModulus().bitLength());
        assertEquals(3, leaf.certificate().getVersion());
        assertTrue(leaf.certificate().getSerialNumber().signum() > 0);
        assertTrue(leaf.certificate().getSerialNumber().bitLength() <= 64);

        // AKI of each certificate is the SKI of its issuer; a root's AKI is its own SKI.
        assertArrayEquals(ski(intermediate.certificate()), aki(leaf.certificate()));
        assertArrayEquals(ski(root.certificate()), aki(intermediate.certificate()));
        assertArrayEquals(ski(root.certificate()), aki(root.certificate()));
        assertFalse(java.util.Arrays.equals(ski(leaf.certificate()), ski(intermediate.certificate())));
    }

    @Test
    void defaultValidity_comesFromClock() throws Exception {
        Instant now = Instant.parse("2030-06-01T12:00:00Z");
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .clock(Clock.fixed(now, ZoneOffset.UTC)).build();

        assertEquals(Instant.parse("2030-06-01T11:00:00Z"), leaf.certificate().getNotBefore().toInstant());
        assertEquals(Instant.parse("2030-08-30T12:00:00Z"), leaf.certificate().getNotAfter().toInstant());
    }

    @Test
    void expired_failsValidationWithExpiredReason() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).expired().build();

        Instant notAfter = leaf.certificate().getNotAfter().toInstant();
        assertTrue(notAfter.isBefore(now.minus(Duration.ofDays(9))), "notAfter " + notAfter);
        assertTrue(notAfter.isAfter(now.minus(Duration.ofDays(11))), "notAfter " + notAfter);
        assertThrows(CertificateExpiredException.class, () -> leaf.certificate().checkValidity());

        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(leaf.chainWithoutRoot(), root.certificate(), new Date()));
        assertEquals(CertPathValidatorException.BasicReason.EXPIRED, e.getReason());
    }

    @Test
    void notYetValid_failsValidationWithNotYetValidReason() throws Exception {
        Instant now = Instant.now();
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).notYetValid().build();

        Instant notBefore = leaf.certificate().getNotBefore().toInstant();
        assertTrue(notBefore.isAfter(now.plus(Duration.ofDays(9))), "notBefore " + notBefore);
        assertTrue(notBefore.isBefore(now.plus(Duration.ofDays(11))), "notBefore " + notBefore);
        assertThrows(CertificateNotYetValidException.class, () -> leaf.certificate().checkValidity());

        CertPathValidatorException e = assertThrows(CertPathValidatorException.class,
                () -> validate(leaf.chainWithoutRoot(), root.certificate(), new Date()));
        assertEquals(CertPathValidatorException.BasicReason.NOT_YET_VALID, e.getReason());
    }

    @Test
    void explicitValidity_overridesDefaults() {
        Instant from = Instant.parse("2020-01-01T00:00:00Z");
        Instant until = Instant.parse("2021-01-01T00:00:00.750Z");
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .validFrom(from).validUntil(until).build();

        assertEquals(from, leaf.certificate().getNotBefore().toInstant());
        assertEquals(Instant.parse("2021-01-01T00:00:00Z"), leaf.certificate().getNotAfter().toInstant());
    }

    @Test
    void subjectAltNames_extendedKeyUsage_andAccessLocations() throws Exception {
        IssuedCertificate leaf = CertificateBuilder.leaf("www.example.test").issuedBy(intermediate)
                .dnsNames("www.example.test", "*.example.test")
                .ipAddresses("127.0.0.1", "::1")
                .extendedKeyUsage(KeyPurpose.SERVER_AUTH, KeyPurpose.CLIENT_AUTH)
                .caIssuersUrl("http://127.0.0.1:1/ca.der")
                .ocspUrl("http://127.0.0.1:1/ocsp")
                .crlUrl("http://127.0.0.1:1/ca.crl")
                .build();
        X509Certificate cert = leaf.certificate();

        assertEquals(List.of(List.of(2, "www.example.test"), List.of(2, "*.example.test"),
                List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")), sans(cert));
        assertFalse(cert.getCriticalExtensionOIDs().contains(SAN));
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());

        AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                extension(cert, "1.3.6.1.5.5.7.1.1"));
        List<String> access = new ArrayList<>();
        for (AccessDescription description : aia.getAccessDescriptions()) {
            access.add(description.getAccessMethod().getId() + " " + description.getAccessLocation().getName());
        }
        assertEquals(List.of("1.3.6.1.5.5.7.48.1 http://127.0.0.1:1/ocsp",
                "1.3.6.1.5.5.7.48.2 http://127.0.0.1:1/ca.der"), access);

        CRLDistPoint crl = CRLDistPoint.getInstance(extension(cert, Extension.cRLDistributionPoints.getId()));
        GeneralName crlName = GeneralNames.getInstance(crl.getDistributionPoints()[0].getDistributionPoint().getName())
                .getNames()[0];
        assertEquals("http://127.0.0.1:1/ca.crl", crlName.getName().toString());
    }

    @Test
    void defaultSubjectAltName_followsCommonName() throws Exception {
        assertEquals(List.of(List.of(2, "localhost")),
                sans(CertificateBuilder.leaf("localhost").issuedBy(intermediate).build().certificate()));
        assertEquals(List.of(List.of(7, "127.0.0.1")),
                sans(CertificateBuilder.leaf("127.0.0.1").issuedBy(intermediate).build().certificate()));
        assertEquals(List.of(List.of(7, "0:0:0:0:0:0:0:1")),
                sans(CertificateBuilder.leaf("::1").issuedBy(intermediate).build().certificate()));
        assertNull(CertificateBuilder.leaf("cafe:babe").build().certificate().getSubjectAlternativeNames());
        assertEquals(List.of(List.of(2, "*.example.test")),
                sans(CertificateBuilder.leaf("*.example.test").issuedBy(intermediate).build().certificate()));
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")),
                sans(CertificateBuilder.leaf("localhost").ipAddresses("127.0.0.1").build().certificate()));
        assertNull(CertificateBuilder.leaf("Test Leaf").build().certificate().getSubjectAlternativeNames());
        assertNull(CertificateBuilder.leaf("localhost").noSubjectAltName().build()
                .certificate().getSubjectAlternativeNames());
        assertNull(root.certificate().getSubjectAlternativeNames());
    }

    @Test
    void emptySubject_hasCriticalSubjectAltName() throws Exception {
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).subject("").build();

        assertEquals("", leaf.certificate().getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(2, "localhost")), sans(leaf.certificate()));
        assertTrue(leaf.certificate().getCriticalExtensionOIDs().contains(SAN));

        IssuedCertificate critical = CertificateBuilder.leaf("localhost").criticalSubjectAltName(true).build();
        assertTrue(critical.certificate().getCriticalExtensionOIDs().contains(SAN));
    }

    @Test
    void subject_keepsRfc2253Order() {
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost")
                .subject("CN=localhost, OU=Ops, O=Example, C=DE").build();

        assertEquals("CN=localhost,OU=Ops,O=Example,C=DE", leaf.certificate().getSubjectX500Principal().getName());
    }

    @Test
    void weakSignatureAlgorithms_buildAndVerify() throws Exception {
        for (String algorithm : List.of("MD5withRSA", "SHA1withRSA", "SHA384withRSA")) {
            X509Certificate cert = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                    .signatureAlgorithm(algorithm).build().certificate();

            assertEquals(algorithm, cert.getSigAlgName());
            cert.verify(intermediate.publicKey());
        }
    }

    @Test
    void weakRsaKeys_build() throws Exception {
        for (int bits : new int[] {512, 1024}) {
            IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).rsa(bits).build();

            assertEquals(bits, ((RSAPublicKey) leaf.certificate().getPublicKey()).getModulus().bitLength());
            leaf.certificate().verify(intermediate.publicKey());
        }
        // A 512-bit key can itself sign with MD5 (a 512-bit self-signed certificate).
        IssuedCertificate tiny = CertificateBuilder.root("Tiny Root").rsa(512).signatureAlgorithm("MD5withRSA").build();
        tiny.certificate().verify(tiny.publicKey());
        assertEquals("MD5withRSA", tiny.certificate().getSigAlgName());
    }

    @Test
    void ecKeys_defaultSignatureFollowsIssuerKey() throws Exception {
        IssuedCertificate ecRoot = CertificateBuilder.root("EC Root").ec("secp384r1").build();
        IssuedCertificate ecLeaf = CertificateBuilder.leaf("localhost").issuedBy(ecRoot).ec("secp256r1").build();
        IssuedCertificate ecUnderRsa = CertificateBuilder.leaf("localhost").issuedBy(intermediate).ec("secp256r1").build();

        assertEquals("SHA256withECDSA", ecRoot.certificate().getSigAlgName());
        assertEquals("SHA256withECDSA", ecLeaf.certificate().getSigAlgName());
        assertEquals("SHA256withRSA", ecUnderRsa.certificate().getSigAlgName());
        assertEquals(384, ((ECPublicKey) ecRoot.publicKey()).getParams().getCurve().getField().getFieldSize());
        assertEquals(256, ((ECPublicKey) ecLeaf.publicKey()).getParams().getCurve().getField().getFieldSize());
        // EC leaves get digitalSignature only.
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false},
                ecLeaf.certificate().getKeyUsage());
        assertEquals(ecRoot.certificate(),
                validate(List.of(ecLeaf.certificate()), ecRoot.certificate(), new Date()).getTrustAnchor().getTrustedCert());
    }

    @Test
    void tenThousandSubjectAltNames_build() throws Exception {
        String[] names = new String[10_000];
        for (int i = 0; i < names.length; i++) {
            names[i] = "host-" + i + ".example.test";
        }
        X509Certificate explicit = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .dnsNames(names).build().certificate();
        X509Certificate generated = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .extraSubjectAltNames(10_000).build().certificate();

        Collection<List<?>> explicitNames = explicit.getSubjectAlternativeNames();
        assertEquals(10_000, explicitNames.size());
        assertEquals(List.of(2, "host-9999.example.test"), new ArrayList<>(explicitNames).get(9_999));
        List<List<?>> generatedNames = new ArrayList<>(generated.getSubjectAlternativeNames());
        assertEquals(10_001, generatedNames.size());
        assertEquals(List.of(2, "localhost"), generatedNames.get(0));
        assertEquals(List.of(2, "san-10000.extra.test"), generatedNames.get(10_000));
        explicit.verify(intermediate.publicKey());
    }

    @Test
    void keyReuse_isPerRole_andFreshKeyGivesNewKey() {
        IssuedCertificate otherRoot = CertificateBuilder.root("Other Root").build();
        IssuedCertificate fresh = CertificateBuilder.root("Impostor Root").freshKey().build();
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();

        assertEquals(root.publicKey(), otherRoot.publicKey());
        assertNotEquals(root.publicKey(), fresh.publicKey());
        assertNotEquals(root.publicKey(), intermediate.publicKey());
        assertNotEquals(intermediate.publicKey(), leaf.publicKey());
    }

    @Test
    void options_serialKeyUsageEkuBasicConstraints() throws Exception {
        IssuedCertificate cert = CertificateBuilder.intermediate("Constrained CA").issuedBy(root)
                .serial(BigInteger.valueOf(4242))
                .pathLength(0)
                .keyUsage(CertificateBuilder.KEY_CERT_SIGN)
                .extendedKeyUsage("1.3.6.1.5.5.7.3.1")
                .build();
        IssuedCertificate bare = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .noKeyUsage().noExtendedKeyUsage().noBasicConstraints().build();

        assertEquals(BigInteger.valueOf(4242), cert.certificate().getSerialNumber());
        assertEquals(0, cert.certificate().getBasicConstraints());
        assertArrayEquals(new boolean[] {false, false, false, false, false, true, false, false, false},
                cert.certificate().getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.certificate().getExtendedKeyUsage());
        assertNull(bare.certificate().getKeyUsage());
        assertNull(bare.certificate().getExtendedKeyUsage());
        assertNull(bare.certificate().getExtensionValue(BASIC_CONSTRAINTS));
        // Identifiers are always present.
        assertTrue(bare.certificate().getNonCriticalExtensionOIDs().containsAll(Set.of(Extension.subjectKeyIdentifier.getId(), Extension.authorityKeyIdentifier.getId())));
    }

    @Test
    void customExtension_isAdded() {
        byte[] derNull = {0x05, 0x00};
        X509Certificate cert = CertificateBuilder.leaf("localhost").issuedBy(intermediate)
                .extension("1.2.3.4.5", true, derNull).build().certificate();

        assertTrue(cert.getCriticalExtensionOIDs().contains("1.2.3.4.5"));
        assertArrayEquals(derNull, ASN1OctetString.getInstance(cert.getExtensionValue("1.2.3.4.5")).getOctets());
    }

    @Test
    void pem_roundTripsThroughCertificateFactory() throws Exception {
        IssuedCertificate leaf = CertificateBuilder.leaf("localhost").issuedBy(intermediate).build();

        String pem = leaf.toPem();
        assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----\n"), pem);
        assertTrue(pem.endsWith("-----END CERTIFICATE-----\n"), pem);
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        Collection<? extends java.security.cert.Certificate> parsed = factory.generateCertificates(
                new ByteArrayInputStream(leaf.chainToPem().getBytes(StandardCharsets.US_ASCII)));
        assertEquals(leaf.chain(), new ArrayList<>(parsed));
        assertTrue(leaf.privateKeyPem().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals(IssuedCertificate.pem(leaf.chain()), leaf.chainToPem());
        assertFalse(leaf.toString().contains("private exponent"), leaf.toString());
    }

    @Test
    void misuse_isRejected() {
        assertThrows(IllegalStateException.class, () -> CertificateBuilder.intermediate("No Issuer").build());
        assertThrows(IllegalArgumentException.class, () -> CertificateBuilder.leaf("x").rsa(256));
        assertThrows(IllegalArgumentException.class, () -> CertificateBuilder.leaf("x").ipAddresses("localhost"));
        assertThrows(IllegalArgumentException.class, () -> CertificateBuilder.leaf("x").subject("not a dn"));
        assertThrows(IllegalArgumentException.class, () -> CertificateBuilder.leaf("x").validity(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> CertificateBuilder.leaf(null));
        // An ECDSA signature algorithm with an RSA issuer key cannot be produced.
        assertThrows(IllegalStateException.class, () -> CertificateBuilder.leaf("x").issuedBy(intermediate)
                .signatureAlgorithm("SHA256withECDSA").build());
        assertThrows(IllegalArgumentException.class, () -> new IssuedCertificate(root.certificate(),
                root.privateKey(), root.publicKey(), List.of(intermediate.certificate())));
    }

    @Test
    void noProviderIsInstalledGlobally() {
        CertificateBuilder.leaf("localhost").issuedBy(intermediate).signatureAlgorithm("MD5withRSA").build();

        assertNull(Security.getProvider("BC"));
    }

    private static PKIXCertPathValidatorResult validate(List<X509Certificate> path, X509Certificate anchor, Date at)
            throws Exception {
        CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(at);
        return (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
    }

    private static List<List<?>> sans(X509Certificate cert) throws Exception {
        return new ArrayList<>(cert.getSubjectAlternativeNames());
    }

    private static byte[] extension(X509Certificate cert, String oid) {
        return ASN1OctetString.getInstance(cert.getExtensionValue(oid)).getOctets();
    }

    private static byte[] ski(X509Certificate cert) {
        return SubjectKeyIdentifier.getInstance(extension(cert, Extension.subjectKeyIdentifier.getId())).getKeyIdentifier();
    }

    private static byte[] aki(X509Certificate cert) {
        return AuthorityKeyIdentifier.getInstance(extension(cert, Extension.authorityKeyIdentifier.getId())).getKeyIdentifierOctets();
    }
}
