package dev.tlsinspect.internal.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Severity;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.check.Fetched;
import dev.tlsinspect.internal.inspect.DefaultCheckContext;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The revocation check on hand-built observations, OCSP responses and CRLs. */
class RevocationCheckTest {
  private static final String OCSP_URL = "http://127.0.0.1:9/ocsp";
  private static final String CRL_URL = "http://127.0.0.1:9/ca.crl";
  private static final RevocationPki PKI = new RevocationPki("Revocation Test CA");
  private static final Instant NOW = Instant.now();

  private static List<Finding> run(X509Certificate leaf, List<byte[]> stapled, Fetched fetched) {
    return run(leaf, stapled, fetched, false);
  }

  private static List<Finding> run(X509Certificate leaf, List<byte[]> stapled, Fetched fetched,
      boolean online) {
    return run(leaf, stapled, fetched, online, false);
  }

  private static List<Finding> run(X509Certificate leaf, List<byte[]> stapled, Fetched fetched,
      boolean online, boolean publicCa) {
    Observation.Builder o = Observation.builder("test").peerChain(List.of(leaf));
    stapled.forEach(o::addStapledOcsp);
    InspectOptions.Builder b = InspectOptions.builder()
        .trust(TrustMaterial.certificates(List.of(PKI.ca)))
        .checkRevocationOnline(online);
    if (publicCa) {
      b.referenceTrust(TrustMaterial.certificates(List.of(PKI.ca)));
    }
    InspectOptions options = b.build();
    return new RevocationCheck().evaluate(new DefaultCheckContext(Target.of("leaf.test", 443), options,
        new ProbeOutcome.Completed(o.build()), fetched));
  }

  private static Map<Code, Finding> byCode(List<Finding> findings) {
    return findings.stream().collect(Collectors.toMap(Finding::code, f -> f));
  }

  private static Fetched crls(X509CRL... crls) {
    return new Fetched(List.of(), List.of(), List.of(crls), List.of());
  }

  @Test
  void stapledRevoked_isCertRevoked_withEvidence() {
    X509Certificate leaf = PKI.leaf("leaf.test", OCSP_URL, null);
    Instant when = NOW.minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    List<Finding> f = run(leaf, List.of(PKI.response(leaf, PKI.ocsp().revoked(when, 1))), Fetched.none());
    Finding revoked = byCode(f).get(Code.CERT_REVOKED);
    assertEquals(Severity.CRITICAL, revoked.severity());
    assertEquals("stapled", revoked.evidence().get("source"));
    assertEquals(when, revoked.evidence().get("revocationTime"));
    assertEquals("keyCompromise", revoked.evidence().get("reason"));
    assertEquals(PKI.ca.getSubjectX500Principal().getName(), revoked.evidence().get("responder"));
    assertTrue(revoked.evidence().containsKey("thisUpdate"));
    assertTrue(revoked.evidence().containsKey("nextUpdate"));
    assertTrue(revoked.evidence().containsKey("producedAt"));
    assertTrue(revoked.remediation().contains("Replace the certificate now"));
    assertTrue(revoked.remediation().contains("compromised"));
    assertEquals(1, f.size(), f::toString); // stapled: no OCSP_STAPLING_MISSING
  }

  @Test
  void stapledGood_givesNothing() {
    X509Certificate leaf = PKI.leaf("leaf.test", OCSP_URL, null);
    assertEquals(List.of(), run(leaf, List.of(PKI.response(leaf, PKI.ocsp())), Fetched.none()));
  }

  @Test
  void unusableStaples_areLowOcspStaplingMissing() {
    X509Certificate leaf = PKI.leaf("leaf.test", OCSP_URL, null);
    RevocationPki.Ocsp stale = PKI.ocsp();
    stale.thisUpdate = NOW.minus(10, ChronoUnit.DAYS);
    stale.nextUpdate = NOW.minus(3, ChronoUnit.DAYS);
    RevocationPki.Ocsp forged = PKI.ocsp().revoked(NOW, 1);
    forged.signer = RevocationPki.key().getPrivate();
    RevocationPki.Ocsp other = PKI.ocsp();
    other.serial = BigInteger.TEN;
    Map<String, byte[]> cases = Map.of("stale", PKI.response(leaf, stale),
        "bad signature", PKI.response(leaf, forged),
        "another certificate", PKI.response(leaf, other),
        "malformed", new byte[] {0x30, 0x03, 0x0a, 0x01, 0x00});
    cases.forEach((word, der) -> {
      List<Finding> f = run(leaf, List.of(der), Fetched.none());
      assertEquals(1, f.size(), f::toString);
      Finding m = f.get(0);
      assertEquals(Code.OCSP_STAPLING_MISSING, m.code());
      assertEquals(Severity.LOW, m.severity());
      assertEquals("unusable", m.evidence().get("staple"));
      assertTrue(m.detail().contains("unusable") || m.title().contains("unusable"));
      assertTrue(m.detail().contains(word), () -> word + ": " + m.detail());
      assertEquals(false, m.rootCause());
    });
  }

  @Test
  void nothingStapled_withResponder_isInfo() {
    X509Certificate leaf = PKI.leaf("leaf.test", OCSP_URL, null);
    List<Finding> f = run(leaf, List.of(), Fetched.none());
    assertEquals(1, f.size(), f::toString);
    assertEquals(Code.OCSP_STAPLING_MISSING, f.get(0).code());
    assertEquals(Severity.INFO, f.get(0).severity());
    assertEquals(OCSP_URL, f.get(0).evidence().get("ocspUrl"));
  }

  @Test
  void noUrls_isRevocationInfoMissing_butNotForSelfSignedOrAnchors() {
    X509Certificate leaf = PKI.leaf("leaf.test", null, null);
    List<Finding> f = run(leaf, List.of(), Fetched.none(), false, true);
    assertEquals(1, f.size(), f::toString);
    assertEquals(Code.REVOCATION_INFO_MISSING, f.get(0).code());
    assertEquals(Severity.LOW, f.get(0).severity(), "a public CA must publish revocation data");
    assertEquals(true, f.get(0).evidence().get("publicChain"));
    List<Finding> privateCa = run(leaf, List.of(), Fetched.none());
    assertEquals(Severity.INFO, privateCa.get(0).severity(), "a private CA may not");
    assertEquals(false, privateCa.get(0).evidence().get("publicChain"));
    assertEquals(List.of(), run(PKI.ca, List.of(), Fetched.none()));
    assertTrue(run(PKI.leaf("leaf.test", null, CRL_URL), List.of(), Fetched.none()).isEmpty());
  }

  @Test
  void fetchedOcspRevoked_isCertRevoked_sourceOcsp() {
    X509Certificate leaf = PKI.leaf("leaf.test", OCSP_URL, null);
    Fetched fetched = new Fetched(List.of(), List.of(PKI.response(leaf, PKI.ocsp().revoked(NOW, 4))),
        List.of(), List.of());
    Finding revoked = byCode(run(leaf, List.of(), fetched)).get(Code.CERT_REVOKED);
    assertEquals("ocsp", revoked.evidence().get("source"));
    assertEquals("superseded", revoked.evidence().get("reason"));
  }

  @Test
  void crl_revoked_good_otherIssuer_invalid() {
    X509Certificate leaf = PKI.leaf("leaf.test", null, CRL_URL);
    Instant from = NOW.minus(1, ChronoUnit.HOURS);
    Instant to = NOW.plus(1, ChronoUnit.DAYS);
    Finding revoked = byCode(run(leaf, List.of(), crls(PKI.crl(from, to, true, leaf.getSerialNumber()))))
        .get(Code.CERT_REVOKED);
    assertEquals("crl", revoked.evidence().get("source"));
    assertEquals("keyCompromise", revoked.evidence().get("reason"));
    assertEquals(PKI.ca.getSubjectX500Principal().getName(), revoked.evidence().get("responder"));

    assertEquals(List.of(), run(leaf, List.of(), crls(PKI.crl(from, to, true, BigInteger.TEN))));
    // the same serial on another CA's CRL is not evidence
    RevocationPki other = new RevocationPki("Other CA");
    assertEquals(List.of(), run(leaf, List.of(), crls(other.crl(from, to, true, leaf.getSerialNumber()))));
    // another CA with the same name: the signature does not verify
    RevocationPki impostor = new RevocationPki("Revocation Test CA");
    assertInvalid(run(leaf, List.of(), crls(impostor.crl(from, to, true, leaf.getSerialNumber()))),
        "not signed by the key");
    assertInvalid(run(leaf, List.of(), crls(PKI.crl(from, to, false))), "CRLNumber");
    assertInvalid(run(leaf, List.of(), crls(PKI.crl(NOW.minus(9, ChronoUnit.DAYS),
        NOW.minus(2, ChronoUnit.DAYS), true))), "stale");
    assertInvalid(run(leaf, List.of(), crls(PKI.crl(NOW.plus(2, ChronoUnit.DAYS),
        NOW.plus(9, ChronoUnit.DAYS), true))), "not yet valid");
  }

  @Test
  void onlineCheckWithoutAnswer_isLow_withTheNotes() {
    X509Certificate leaf = PKI.leaf("leaf.test", null, "ldap://127.0.0.1/cn=crl");
    String note = "crl ldap://127.0.0.1/cn=crl: refused: scheme 'ldap' is not http or https";
    List<Finding> f = run(leaf, List.of(), new Fetched(List.of(), List.of(), List.of(), List.of(note)), true);
    Finding unknown = byCode(f).get(Code.REVOCATION_STATUS_UNKNOWN);
    assertEquals(Severity.LOW, unknown.severity());
    assertEquals(List.of(note), unknown.evidence().get("fetchNotes"));
  }

  private static void assertInvalid(List<Finding> findings, String word) {
    Finding f = byCode(findings).get(Code.REVOCATION_STATUS_UNKNOWN);
    assertEquals(Severity.HIGH, f.severity(), findings::toString);
    assertTrue(f.detail().contains(word), f::detail);
    assertEquals(List.of("crl"), f.evidence().get("sources"));
  }
}
