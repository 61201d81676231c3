package dev.tlsinspect.internal.cert;

import dev.tlsinspect.CertificateInfo;
import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.probe.Failure;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.TlsVersion;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CERT_TOO_LARGE: the server's Certificate handshake message is larger than the JDK's default
 * limit, {@code jdk.tls.maxHandshakeMessageSize} = 32768 bytes. The size is the one the provider
 * saw announced on the wire (or in the TLS stack's error) when it has it; otherwise it is computed
 * from the captured chain. When the JDK failed on the size it never handed the chain to a trust
 * manager, so the announced size may be all there is.
 */
public final class CertificateSizeCheck implements Check {
  /** The JDK's default {@code jdk.tls.maxHandshakeMessageSize}. */
  static final int JDK_DEFAULT_LIMIT = 32768;
  /** OpenSSL's default maximum certificate list ({@code SSL_CTX_set_max_cert_list}). */
  static final int OPENSSL_DEFAULT_LIMIT = 100 * 1024;
  private static final Pattern JSSE_SIZE = Pattern.compile(
      "size of the handshake message \\((\\d+)\\) exceeds the maximum allowed size \\((\\d+)\\)");

  @Override
  public String id() {
    return "certificate-size";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("certificate-size")
        .summary("The size of the server's Certificate message against the limits of Java and OpenSSL clients")
        .codes(Code.CERT_TOO_LARGE)
        .reference("RFC 8446 §4.4.2")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.PEER_CHAIN)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Observation seen = ctx.observation().orElse(null);
    if (seen == null) {
      return List.of();
    }
    Optional<long[]> fromFailure = ctx.failure().flatMap(CertificateSizeCheck::announcedByStack);
    long limit = fromFailure.map(a -> a[1]).orElse((long) JDK_DEFAULT_LIMIT);
    OptionalLong bytes;
    String source;
    if (seen.certificateMessageLength().isPresent()) {
      bytes = OptionalLong.of(seen.certificateMessageLength().getAsInt());
      source = "announced";
    } else if (fromFailure.isPresent()) {
      bytes = OptionalLong.of(fromFailure.get()[0]);
      source = "announced";
    } else {
      bytes = messageLength(seen.peerChain(), seen.version().orElse(TlsVersion.TLS_1_2));
      source = "computed";
    }
    if (bytes.isEmpty() || bytes.getAsLong() <= limit) {
      return List.of();
    }
    long size = bytes.getAsLong();
    boolean failedOnIt = fromFailure.isPresent();
    Optional<X509Certificate> leaf = seen.leaf();
    OptionalInt sanCount = leaf.map(c -> OptionalInt.of(CertificateInfo.subjectAltNames(c).size()))
        .orElse(OptionalInt.empty());
    String largest = largest(seen.peerChain());
    Finding.Builder b = Finding.builder(Code.CERT_TOO_LARGE)
        .title("The certificate message is " + size + " bytes, more than Java clients accept ("
            + limit + ")")
        .detail("The server's Certificate message is " + size + " bytes (" + source + ")"
            + (seen.peerChain().isEmpty() ? "" : " for " + seen.peerChain().size()
                + " certificate(s)")
            + (sanCount.isPresent() ? "; the leaf has " + sanCount.getAsInt()
                + " subjectAltName entries" : "")
            + (largest.isEmpty() ? "" : "; the largest certificate is " + largest)
            + ". Java refuses handshake messages over " + limit + " bytes"
            + (failedOnIt ? " and did so here" : "") + "; OpenSSL refuses certificate lists over "
            + OPENSSL_DEFAULT_LIMIT + " bytes by default.")
        .remediation("Make the chain smaller: split a certificate with many names into several "
            + "certificates (one per service or group of hosts), use a wildcard name where "
            + "appropriate, drop large custom extensions, and send only the leaf and its "
            + "intermediates (never the root). Java clients that must accept it can raise the "
            + "limit at launch with -Djdk.tls.maxHandshakeMessageSize=" + roundUp(size)
            + " (and -Djdk.tls.maxCertificateChainLength for a chain of more than 10 "
            + "certificates); both are JVM-wide settings.")
        .evidence("bytes", size)
        .evidence("limit", limit)
        .evidence("source", source);
    sanCount.ifPresent(n -> b.evidence("leafSubjectAltNames", (long) n));
    if (!seen.peerChain().isEmpty()) {
      b.evidence("certificates", (long) seen.peerChain().size());
    }
    seen.version().ifPresent(v -> b.evidence("version", v.name()));
    leaf.ifPresent(l -> Certs.identify(b, "leaf", l));
    return List.of(b.build());
  }

  /** Size and limit from JSSE's "The size of the handshake message (N) exceeds ... (M)". */
  public static Optional<long[]> announcedByStack(Failure failure) {
    String text = failure.message() + "\n" + String.join("\n", failure.causes());
    Matcher m = JSSE_SIZE.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * The body length of the Certificate handshake message that carries this chain: TLS 1.2 sends
   * a 3-byte list length and a 3-byte length before each certificate; TLS 1.3 adds a 1-byte
   * request context and 2 bytes of (here assumed empty) extensions per entry.
   */
  public static OptionalLong messageLength(List<X509Certificate> chain, TlsVersion version) {
    if (chain.isEmpty()) {
      return OptionalLong.empty();
    }
    boolean tls13 = version.compareTo(TlsVersion.TLS_1_3) >= 0;
    long size = tls13 ? 1 + 3 : 3;
    try {
      for (X509Certificate c : chain) {
        size += 3 + c.getEncoded().length + (tls13 ? 2 : 0);
      }
    } catch (CertificateEncodingException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(size);
  }

  private static String largest(List<X509Certificate> chain) {
    X509Certificate max = null;
    int maxLen = 0;
    for (X509Certificate c : chain) {
      try {
        int len = c.getEncoded().length;
        if (len > maxLen) {
          max = c;
          maxLen = len;
        }
      } catch (CertificateEncodingException e) {
        // skip
      }
    }
    return max == null || chain.size() < 2 ? ""
        : "'" + max.getSubjectX500Principal().getName() + "' (" + maxLen + " bytes)";
  }

  private static long roundUp(long size) {
    long step = 16384;
    return ((size + step - 1) / step) * step;
  }
}
