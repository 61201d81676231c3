package dev.tlsinspect.internal.cert;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What browsers demand of a certificate beyond a valid path:
 * <ul>
 *   <li>CERT_NO_SCT: the leaf carries no Signed Certificate Timestamp, neither embedded (the
 *       precertificate SCT list extension, 1.3.6.1.4.1.11129.2.4.2) nor in a stapled OCSP response
 *       (1.3.6.1.4.1.11129.2.4.5). Chrome (since 2018) and Safari (since 2021) refuse a publicly
 *       trusted certificate without SCTs, so when the chain leads to a root of the reference trust
 *       store (the JDK's cacerts by default, standing for the public root programs; not when the
 *       caller made it the application's own store) this is MEDIUM:
 *       Java clients still connect, browsers do not. A private CA's leaf is not reported: no browser
 *       requires it to be logged. SCTs in the TLS extension (signed_certificate_timestamp, RFC 6962
 *       3.3.1) count too: a full inspection's feature handshakes ask for them
 *       ({@link dev.tlsinspect.probe.ServerFeatures#tlsExtensionScts()}); in quick mode, or without
 *       a provider that makes those handshakes, nobody asks, and the finding says so.
 *   <li>MUST_STAPLE_NOT_STAPLED: the leaf has the TLS feature extension (RFC 7633,
 *       1.3.6.1.5.5.7.1.24) asking for status_request, and the server sent no OCSP response.
 *       Firefox refuses such a connection (MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING);
 *       Chrome and the JDK ignore the extension, so it works in Java and fails in Firefox: HIGH.
 * </ul>
 * Pure: reads the chain and the staples of the main observation.
 */
public final class TransparencyCheck implements Check {
  static final String SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";
  static final String OCSP_SCT_LIST = "1.3.6.1.4.1.11129.2.4.5";
  static final String TLS_FEATURE = "1.3.6.1.5.5.7.1.24";
  private static final int STATUS_REQUEST = 5;
  private static final int STATUS_REQUEST_V2 = 17;
  /** A bound on the SCTs counted in one list; real lists hold 2 to 5. */
  private static final int MAX_SCTS = 64;

  @Override
  public String id() {
    return "transparency";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("transparency")
        .summary("Certificate Transparency SCTs on the leaf (embedded, in the stapled OCSP response or in the TLS extension), and OCSP must-staple honoured by the server")
        .codes(Code.CERT_NO_SCT, Code.MUST_STAPLE_NOT_STAPLED)
        .reference("RFC 6962 §3.3")
        .reference("RFC 7633")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.REFERENCE_ANCHORS)
        .needs(CheckDescriptor.Input.SERVER_FEATURES)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    if (chain.isEmpty()) {
      return List.of();
    }
    X509Certificate leaf = chain.get(0);
    List<byte[]> staples = ctx.observation().map(o -> o.stapledOcsp()).orElse(List.of());
    List<Finding> out = new ArrayList<>();
    if (Certs.selfSigned(leaf) || ChainPaths.isAnchor(ctx.trustAnchors(), leaf)
        || ChainPaths.isAnchor(ctx.referenceAnchors(), leaf)) {
      return out; // nobody logs or staples for a self-signed or directly trusted leaf
    }
    mustStaple(leaf).ifPresent(feature -> {
      if (staples.isEmpty()) {
        Finding.Builder b = Finding.builder(Code.MUST_STAPLE_NOT_STAPLED)
            .severity(Severity.HIGH)
            .title("The certificate requires OCSP stapling (must-staple) and the server staples nothing")
            .detail(Certs.describe(leaf) + " carries the TLS feature extension (RFC 7633) with "
                + feature + ", but the server sent no OCSP response in the handshake. Firefox refuses "
                + "the connection (MOZILLA_PKIX_ERROR_REQUIRED_TLS_FEATURE_MISSING); Java, Chrome and "
                + "curl ignore the extension and connect.")
            .remediation("Turn OCSP stapling on and make sure the server can reach the CA's responder "
                + "(nginx: ssl_stapling on; ssl_stapling_verify on; with a resolver; Apache: SSLUseStapling "
                + "on), or get a certificate without must-staple.")
            .evidence("tlsFeature", feature)
            .evidence("stapledResponses", 0L);
        Certs.identify(b, "leaf", leaf);
        out.add(b.build());
      }
    });
    int embedded = embeddedScts(leaf);
    boolean inOcsp = staples.stream().anyMatch(TransparencyCheck::hasOcspScts);
    java.util.OptionalInt inTls = ctx.serverFeatures()
        .map(dev.tlsinspect.probe.ServerFeatures::tlsExtensionScts).orElse(java.util.OptionalInt.empty());
    if (embedded == 0 && !inOcsp && inTls.orElse(0) == 0 && publicRoot(ctx, leaf, chain)) {
      String tls = inTls.isPresent()
          ? " It sent none in the TLS signed_certificate_timestamp extension either when asked."
          : " (The TLS signed_certificate_timestamp extension was not asked for: "
              + (ctx.options().quick() ? "quick mode makes no extra handshake" : "no feature handshake ran")
              + ", so SCTs sent only there are not seen; a full inspection asks.)";
      List<String> checked = new ArrayList<>(List.of("certificate", "stapled OCSP"));
      if (inTls.isPresent()) {
        checked.add("TLS extension");
      }
      Finding.Builder b = Finding.builder(Code.CERT_NO_SCT)
          .severity(Severity.MEDIUM)
          .title("The publicly trusted certificate has no Certificate Transparency SCTs: Chrome and Safari reject it")
          .detail(Certs.describe(leaf) + " has no embedded SCT list and the server stapled no OCSP "
              + "response with SCTs. Its chain leads to a root of " + ctx.options().referenceTrust()
              + ", a public root store, whose certificates Chrome and Safari accept only with SCTs from "
              + "enough CT logs; Java clients do not check, so it works in Java and fails in browsers."
              + tls)
          .remediation("Get the certificate from the CA again with embedded SCTs (public CAs log by "
              + "default; a certificate without them was issued for a special purpose), or serve SCTs "
              + "in the stapled OCSP response or the TLS extension.")
          .evidence("embeddedScts", 0L)
          .evidence("ocspScts", false)
          .evidence("sctSourcesChecked", checked)
          .evidence("publicRoot", true);
      inTls.ifPresent(n -> b.evidence("tlsExtensionScts", (long) n));
      Certs.identify(b, "leaf", leaf);
      out.add(b.build());
    }
    return out;
  }

  /**
   * Whether the chain leads to a public root. The stand-in for the public root programs is the
   * reference trust store: the JDK's cacerts by default, or a store the caller names that is not
   * the application's own (a browser bundle, say). A reference store equal to the application's
   * own says nothing about the public roots (callers set it so to compare a private PKI with
   * itself), and a private CA's certificates are not reported: no browser requires them to be
   * logged, and a finding on every internal endpoint would be noise.
   */
  private static boolean publicRoot(CheckContext ctx, X509Certificate leaf, List<X509Certificate> chain) {
    List<X509Certificate> reference = ctx.referenceAnchors();
    if (reference.isEmpty()) {
      return false;
    }
    boolean standsForPublic = ctx.options().referenceTrust() == dev.tlsinspect.TrustMaterial.jdkCacerts()
        || !ChainPaths.sameAnchors(reference, ctx.trustAnchors());
    return standsForPublic && !ChainPaths.build(leaf, chain, reference).isEmpty();
  }

  /**
   * The number of SCTs in the leaf's embedded list: 0 without the extension, -1 when present
   * but unreadable (counted as present).
   */
  static int embeddedScts(X509Certificate leaf) {
    byte[] ext = leaf.getExtensionValue(SCT_LIST);
    if (ext == null) {
      return 0;
    }
    try {
      byte[] list = Der.parse(Der.parse(ext).octetString()).octetString();
      if (list.length < 2) {
        return -1;
      }
      int total = ((list[0] & 0xFF) << 8) | (list[1] & 0xFF);
      int end = Math.min(list.length, 2 + total);
      int p = 2;
      int count = 0;
      while (p + 2 <= end && count < MAX_SCTS) {
        int len = ((list[p] & 0xFF) << 8) | (list[p + 1] & 0xFF);
        if (len == 0 || p + 2 + len > end) {
          break;
        }
        count++;
        p += 2 + len;
      }
      return count == 0 ? -1 : count;
    } catch (Der.MalformedException | RuntimeException e) {
      return -1;
    }
  }

  /** Whether a stapled OCSP response carries the SCT list extension (searched as its DER OID). */
  static boolean hasOcspScts(byte[] response) {
    return indexOf(response, Der.oidBytes(OCSP_SCT_LIST)) >= 0;
  }

  /** The TLS features the leaf requires, when it requires status_request or status_request_v2. */
  static Optional<String> mustStaple(X509Certificate leaf) {
    byte[] ext = leaf.getExtensionValue(TLS_FEATURE);
    if (ext == null) {
      return Optional.empty();
    }
    try {
      Der.Reader features = Der.parse(Der.parse(ext).octetString()).children();
      List<String> named = new ArrayList<>();
      for (int i = 0; features.hasMore() && i < 16; i++) {
        int f = features.next().smallInt();
        if (f == STATUS_REQUEST) {
          named.add("status_request");
        } else if (f == STATUS_REQUEST_V2) {
          named.add("status_request_v2");
        }
      }
      return named.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", named));
    } catch (Der.MalformedException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
