package dev.tlsinspect.cli;

import dev.tlsinspect.Code;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Report;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TlsInspector;
import dev.tlsinspect.TrustMaterial;
import dev.tlsinspect.Verdict;
import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.FakePeer;
import dev.tlsinspect.testing.IssuedCertificate;
import dev.tlsinspect.testing.StarttlsServer;
import dev.tlsinspect.testing.TlsServer;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code tls-inspect demo}: starts servers with typical faults on 127.0.0.1, inspects each as
 * {@code localhost} with a private root CA as the only trust anchor, prints the reports, and stops
 * the servers. The exit status says whether every case gave its expected diagnosis (0) or not (3);
 * the demo's own servers always fail inspection, so the verdicts do not set it.
 */
final class Demo {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  private static final String HOST = "localhost";
  private static final String LOOPBACK = "127.0.0.1";

  /** One case: what is served, and what the inspection must find. */
  private record Case(String title, Optional<Code> expectedCode, int port, Optional<Starttls> starttls) {
    Case(String title, Optional<Code> expectedCode, int port) {
      this(title, expectedCode, port, Optional.empty());
    }

    String expectation() {
      return expectedCode.map(Code::name).orElse("PASS");
    }

    boolean met(Report report) {
      return expectedCode.map(report::hasFinding).orElse(report.verdict() == Verdict.PASS);
    }
  }

  private final PrintStream out;
  private final PrintStream err;

  Demo(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int run(boolean json) {
    List<AutoCloseable> running = new ArrayList<>();
    try {
      // CAs older than the leaves they issue, as in real life: an expired leaf must not make the
      // validity windows of the chain disjoint.
      Instant now = Instant.now();
      Instant caFrom = now.minus(Duration.ofDays(2 * 365));
      Instant caUntil = now.plus(Duration.ofDays(5 * 365));
      IssuedCertificate root = CertificateBuilder.root("tls-inspect demo root")
          .validFrom(caFrom).validUntil(caUntil).build();
      IssuedCertificate intermediate = CertificateBuilder.intermediate("tls-inspect demo intermediate")
          .issuedBy(root).validFrom(caFrom).validUntil(caUntil).build();
      // A second, unrelated CA with keys of its own, which the demo does not trust.
      IssuedCertificate strangerRoot =
          CertificateBuilder.root("tls-inspect demo untrusted root").freshKey().build();
      IssuedCertificate strangerCa = CertificateBuilder.intermediate("tls-inspect demo untrusted CA")
          .issuedBy(strangerRoot).freshKey().build();

      // The demo CA publishes a CRL (never fetched: online revocation checks are off), so a healthy
      // leaf is not REVOCATION_INFO_MISSING.
      String crl = "http://127.0.0.1:9/demo.crl";
      IssuedCertificate healthy = CertificateBuilder.leaf(HOST).issuedBy(intermediate).crlUrl(crl).build();
      IssuedCertificate expired = CertificateBuilder.leaf(HOST).issuedBy(intermediate).crlUrl(crl)
          .expired().build();
      IssuedCertificate wrongHost = CertificateBuilder.leaf("wrong.example").issuedBy(intermediate)
          .crlUrl(crl).build();
      IssuedCertificate untrusted = CertificateBuilder.leaf(HOST).issuedBy(strangerCa).crlUrl(crl).build();

      List<Case> cases = new ArrayList<>();
      cases.add(new Case("healthy server", Optional.empty(),
          start(running, TlsServer.builder().certificateChain(healthy, intermediate.certificate()))));
      cases.add(new Case("expired certificate", Optional.of(Code.CERT_EXPIRED),
          start(running, TlsServer.builder().certificateChain(expired, intermediate.certificate()))));
      cases.add(new Case("certificate for another host (wrong.example)", Optional.of(Code.HOSTNAME_MISMATCH),
          start(running, TlsServer.builder().certificateChain(wrongHost, intermediate.certificate()))));
      cases.add(new Case("chain from an untrusted root", Optional.of(Code.CHAIN_UNTRUSTED),
          start(running, TlsServer.builder().certificateChain(untrusted, strangerCa.certificate()))));
      cases.add(new Case("missing intermediate (leaf only)", Optional.of(Code.CHAIN_INCOMPLETE),
          start(running, TlsServer.builder().certificateChain(healthy))));
      StarttlsServer smtp = StarttlsServer.builder(Starttls.SMTP).certificate(expired).start();
      running.add(smtp);
      cases.add(new Case("SMTP with STARTTLS, expired certificate", Optional.of(Code.CERT_EXPIRED),
          smtp.port(), Optional.of(Starttls.SMTP)));
      cases.add(new Case("server that requires a client certificate (mutual TLS)",
          Optional.of(Code.CLIENT_CERT_REQUIRED),
          start(running, TlsServer.builder().certificateChain(healthy, intermediate.certificate())
              .clientAuth(TlsServer.ClientAuth.NEED).trustedClientCas(root.certificate()))));
      FakePeer http = FakePeer.http();
      running.add(http);
      cases.add(new Case("plain HTTP on the TLS port", Optional.of(Code.NOT_TLS), http.port()));
      cases.add(new Case("closed port", Optional.of(Code.CONNECTION_REFUSED), FakePeer.closedPort()));

      InspectOptions options = InspectOptions.builder()
          .trust(TrustMaterial.certificates(List.of(root.certificate())))
          .timeout(TIMEOUT)
          .build();
      // Both engines, as the plain command: jsse's handshake and bc's enumeration.
      TlsInspector inspector = TlsInspector.builder()
          .options(options)
          .build();

      List<Report> reports = new ArrayList<>();
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        String label = (i + 1) + "/" + cases.size() + " " + c.title();
        Target.Builder tb = Target.builder(HOST, c.port()).connectAddress(LOOPBACK);
        c.starttls().ifPresent(tb::starttls);
        Target target = tb.build();
        if (!json) {
          out.println("== " + label + ": expect " + c.expectation());
          out.println();
        }
        Report report = inspector.inspect(target);
        reports.add(report);
        boolean met = c.met(report);
        if (!met) {
          failures.add(label + ": expected " + c.expectation() + ", got " + report.summary());
        }
        if (!json) {
          out.print(TextReport.render(report));
          out.println();
          out.println(met
              ? "-> as expected: " + c.expectation()
              : "-> UNEXPECTED: expected " + c.expectation() + ", got " + report.summary());
          out.println();
        }
      }
      if (json) {
        out.println(Json.write(reports));
      } else if (failures.isEmpty()) {
        out.println("Demo finished: all " + cases.size() + " cases gave the expected diagnosis.");
      }
      for (String f : failures) {
        err.println("tls-inspect: demo case " + f);
      }
      return failures.isEmpty() ? Cli.EXIT_PASS : Cli.EXIT_ERROR;
    } finally {
      for (AutoCloseable c : running) {
        try {
          c.close();
        } catch (Exception e) {
          // Stopping is best effort; the servers run on daemon threads.
        }
      }
    }
  }

  /*
   * Modern suites only, so that each case shows its one fault: the JDK's default server suites
   * (static RSA key exchange, CBC) would add findings of their own to every report.
   */
  private static final String[] MODERN_SUITES = {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

  private static int start(List<AutoCloseable> running, TlsServer.Builder builder) {
    TlsServer server = builder.cipherSuites(MODERN_SUITES).start();
    running.add(server);
    return server.port();
  }
}
