package dev.tlsinspect.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** Caching, thresholds and the flat details map, with a stub provider at the SPI seam. */
class TlsHealthCheckTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Target A = Target.of("a.service.test", 443);
  private static final Target B = Target.of("b.service.test", 443);
  private static final KeyPair CA_KEY = key();
  private static final X509Certificate CA = cert("CN=Health Test Root", "CN=Health Test Root",
      CA_KEY, null, T0.plus(Duration.ofDays(3650)), true);

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    volatile Instant now = T0;

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }
  }

  private final MutableClock clock = new MutableClock();
  private final AtomicInteger probes = new AtomicInteger();

  private static KeyPair key() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate cert(String issuer, String subject, KeyPair key, String dns,
      Instant notAfter, boolean ca) {
    try {
      PrivateKey signer = ca ? key.getPrivate() : CA_KEY.getPrivate();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
          BigInteger.valueOf(System.nanoTime()), Date.from(T0.minus(Duration.ofDays(30))),
          Date.from(notAfter), new X500Name(subject), key.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      // Key identifiers, as every CA tool writes them: a healthy fixture is profile-clean.
      org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils ids = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
      b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(key.getPublic()));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ids.createAuthorityKeyIdentifier(ca ? key.getPublic() : CA_KEY.getPublic()));
      if (ca) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        b.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dns)));
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, "http://127.0.0.1:9/ca.crl"))),
                null, null)}));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate leaf(String dns, Instant notAfter) {
    return cert("CN=Health Test Root", "CN=" + dns, key(), dns, notAfter, false);
  }

  private HandshakeProbe probe(Function<ProbeRequest, ProbeOutcome> f) {
    return new HandshakeProbe() {
      @Override
      public String name() {
        return "stub";
      }

      @Override
      public ProbeOutcome probe(ProbeRequest request) {
        probes.incrementAndGet();
        return f.apply(request);
      }
    };
  }

  private static ProbeOutcome serving(ProbeRequest r, X509Certificate leaf) {
    return new ProbeOutcome.Completed(Observation.builder("stub").address(r.address())
        .version(TlsVersion.TLS_1_3).peerChain(List.of(leaf, CA)).build());
  }

  private TlsHealthCheck.Builder health(HandshakeProbe probe) {
    InspectOptions options = InspectOptions.builder()
        .resolver(host -> List.of(InetAddress.getByName("127.0.0.2")))
        .trust(TrustMaterial.certificates(List.of(CA)))
        .referenceTrust(TrustMaterial.certificates(List.of(CA))).build();
    return TlsHealthCheck.builder().clock(clock).options(options)
        .inspector(TlsInspector.builder().serviceLoaderChecks(false).probe(probe).build());
  }

  @Test
  void aLongValidLeaf_isUp_withFlatDetails() {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(90)));
    HealthResult result = health(probe(r -> serving(r, leaf))).target(A).build().check();

    assertEquals(HealthStatus.UP, result.status(), result::message);
    assertEquals("TLS health UP: 1 of 1 target(s) UP", result.message());
    Map<String, Object> d = result.details();
    assertEquals("UP", d.get("a.service.test:443.status"));
    assertEquals("PASS", d.get("a.service.test:443.verdict"));
    assertEquals(90L, d.get("a.service.test:443.daysToExpiry"));
    assertEquals("TLSv1.3", d.get("a.service.test:443.version"));
    assertEquals("", d.get("a.service.test:443.codes"));
    assertFalse(d.containsKey("a.service.test:443.rootCause"));
    assertEquals(T0.toString(), d.get("checkedAt"));
    for (Map.Entry<String, Object> e : d.entrySet()) {
      Object v = e.getValue();
      assertTrue(v instanceof String || v instanceof Long || v instanceof Boolean, e::toString);
    }
    assertThrows(UnsupportedOperationException.class, () -> d.put("x", "y"));
  }

  @Test
  void theWarningAndCriticalWindows_degradeThenTakeDown() {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(90)));
    TlsHealthCheck health = health(probe(r -> serving(r, leaf))).target(A).build();

    clock.now = T0.plus(Duration.ofDays(70)); // 20 days left: inside 30, outside 7
    HealthResult degraded = health.check();
    assertEquals(HealthStatus.DEGRADED, degraded.status(), degraded::message);
    assertEquals(20L, degraded.details().get("a.service.test:443.daysToExpiry"));
    assertEquals("CERT_EXPIRING_SOON", degraded.details().get("a.service.test:443.rootCause"));
    assertEquals(degraded, health.requireHealthy(), "DEGRADED passes the startup gate");
    assertTrue(degraded.message().startsWith("TLS health DEGRADED: 1 of 1 target(s) DEGRADED\n  "),
        degraded::message);

    clock.now = T0.plus(Duration.ofDays(85)); // 5 days left: inside the critical window
    HealthResult down = health.check();
    assertEquals(HealthStatus.DOWN, down.status(), down::message);
    assertEquals("WARN", down.details().get("a.service.test:443.verdict"));
    IllegalStateException e = assertThrows(IllegalStateException.class, health::requireHealthy);
    String[] lines = e.getMessage().split("\n");
    assertEquals(3, lines.length, e.getMessage());
    assertEquals("TLS health DOWN: 1 of 1 target(s) DOWN", lines[0]);
    assertTrue(lines[1].startsWith("  a.service.test:443 DOWN: CERT_EXPIRING_SOON - "), lines[1]);
    assertTrue(lines[1].endsWith("(leaf expires in 5 days)"), lines[1]);
    assertTrue(lines[2].startsWith("    fix: "), lines[2]);
  }

  @Test
  void customWindows_areHonoured() {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(50)));
    HealthResult r = health(probe(x -> serving(x, leaf))).target(A)
        .warningWindow(Duration.ofDays(60)).criticalWindow(Duration.ofDays(55)).build().check();
    assertEquals(HealthStatus.DOWN, r.status());
  }

  @Test
  void aFailedTarget_isDown_andTheMessageNamesOnlyIt() {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(90)));
    TlsHealthCheck health = health(probe(r -> r.target().host().startsWith("a.")
        ? serving(r, leaf)
        : new ProbeOutcome.Failed(Failure.of(FailureKind.CONNECTION_REFUSED, "Connection refused"),
            Observation.builder("stub").address(r.address()).build())))
        .targets(List.of(A, B)).build();
    HealthResult result = health.check();
    assertEquals(HealthStatus.DOWN, result.status());
    assertEquals("UP", result.details().get("a.service.test:443.status"));
    assertEquals("DOWN", result.details().get("b.service.test:443.status"));
    assertEquals("CONNECTION_REFUSED", result.details().get("b.service.test:443.rootCause"));
    assertFalse(result.details().containsKey("b.service.test:443.daysToExpiry"));
    String message = assertThrows(IllegalStateException.class, health::requireHealthy).getMessage();
    assertTrue(message.startsWith("TLS health DOWN: 1 of 2 target(s) DOWN\n"), message);
    assertTrue(message.contains("\n  b.service.test:443 DOWN: CONNECTION_REFUSED - "), message);
    assertFalse(message.contains("a.service.test"), message);
    assertTrue(message.contains("\n    fix: "), message);
  }

  @Test
  void theResultIsCached_untilTheClockSaysItIsStale() {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(90)));
    TlsHealthCheck health = health(probe(r -> serving(r, leaf))).target(A)
        .refreshInterval(Duration.ofSeconds(30)).build();
    assertTrue(health.lastResult().isEmpty());
    HealthResult first = health.check();
    int afterFirst = probes.get();
    assertTrue(afterFirst >= 1);

    clock.advance(Duration.ofSeconds(29));
    assertSame(first, health.check());
    assertEquals(afterFirst, probes.get());

    clock.advance(Duration.ofSeconds(1));
    HealthResult second = health.check();
    assertEquals(2 * afterFirst, probes.get());
    assertEquals(T0.plusSeconds(30), second.checkedAt());
    assertSame(second, health.lastResult().orElseThrow());

    health.refresh();
    assertEquals(3 * afterFirst, probes.get());
  }

  @Test
  void concurrentCallers_shareOneRefresh() throws Exception {
    X509Certificate leaf = leaf("a.service.test", T0.plus(Duration.ofDays(90)));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TlsHealthCheck health = health(probe(r -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return serving(r, leaf);
    })).target(A).build();

    List<HealthResult> results = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> callers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Thread t = new Thread(() -> results.add(health.check()));
      callers.add(t);
      t.start();
    }
    entered.await();
    // Wait until every other caller is parked on the shared run, then let the probe finish.
    for (Thread t : callers) {
      while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
        Thread.onSpinWait();
      }
    }
    int duringRun = probes.get();
    release.countDown();
    for (Thread t : callers) {
      t.join();
    }
    assertEquals(5, results.size());
    assertTrue(results.stream().allMatch(r -> r == results.get(0)), "one shared result");
    assertEquals(1, duringRun, "only one caller probed");
  }

  @Test
  void badConfiguration_isRefusedAtBuild() {
    HandshakeProbe p = probe(r -> new ProbeOutcome.Skipped("unused"));
    assertThrows(IllegalStateException.class, () -> health(p).build());
    assertThrows(IllegalArgumentException.class,
        () -> health(p).target(A).criticalWindow(Duration.ofDays(40)).build());
    assertThrows(IllegalArgumentException.class,
        () -> TlsHealthCheck.builder().budget(Duration.ZERO));
  }

  @Test
  void theRunUsesQuickModeAndTheOptionsTimeout() {
    HandshakeProbe p = probe(r -> new ProbeOutcome.Skipped("unused"));
    TlsHealthCheck health = health(p).target(A).build();
    assertTrue(health.options().quick());
    // No budget given: the options' timeout (their default, 10 s) stands.
    assertEquals(Duration.ofSeconds(10), health.options().deadline());
    assertEquals(Duration.ofDays(30), health.options().expiryWarning());
    assertSame(clock, health.options().clock());
  }

  @Test
  void aTimeoutConfiguredInTheOptionsOrInspector_isNotReplacedSilently() {
    HandshakeProbe p = probe(r -> new ProbeOutcome.Skipped("unused"));
    InspectOptions slowLink = InspectOptions.builder().timeout(Duration.ofSeconds(7)).build();

    TlsHealthCheck fromOptions = TlsHealthCheck.builder().target(A).options(slowLink)
        .inspector(TlsInspector.builder().serviceLoaderChecks(false).probe(p).build()).build();
    assertEquals(Duration.ofSeconds(7), fromOptions.options().deadline());

    TlsHealthCheck fromInspector = TlsHealthCheck.builder().target(A)
        .inspector(TlsInspector.builder().serviceLoaderChecks(false).probe(p).options(slowLink).build()).build();
    assertEquals(Duration.ofSeconds(7), fromInspector.options().deadline());
  }

  @Test
  void anExplicitBudget_replacesTheTimeout_andCapsConnectAndRead() {
    HandshakeProbe p = probe(r -> new ProbeOutcome.Skipped("unused"));
    InspectOptions slowLink = InspectOptions.builder().timeout(Duration.ofSeconds(7)).build();
    TlsHealthCheck health = TlsHealthCheck.builder().target(A).options(slowLink)
        .budget(Duration.ofMillis(1500))
        .inspector(TlsInspector.builder().serviceLoaderChecks(false).probe(p).build()).build();
    assertEquals(Duration.ofMillis(1500), health.options().deadline());
    assertEquals(Duration.ofMillis(1500), health.options().connectTimeout());
    assertEquals(Duration.ofMillis(1500), health.options().readTimeout());
  }
}
