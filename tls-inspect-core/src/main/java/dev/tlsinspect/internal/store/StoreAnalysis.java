package dev.tlsinspect.internal.store;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.Severity;
import dev.tlsinspect.StoreEntry;
import dev.tlsinspect.StoreReport;
import dev.tlsinspect.StoreSource;
import dev.tlsinspect.Verdict;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The findings on one store. Pure apart from reading the store: no network, no global state.
 *
 * <p>Definitions the findings rely on (also in the site's stores page):
 * <ul>
 *   <li>a <em>trust anchor</em> is what the JDK's trust manager takes from a store: every trusted
 *       certificate entry and the first certificate of every key entry;
 *   <li>a <em>duplicate</em> alias holds the same certificate (same DER) as another alias;
 *   <li>an <em>unused</em> alias is one no JSSE key or trust manager built from the store ever
 *       uses: a secret-key entry, or a key entry whose certificate's extended key usage allows
 *       neither TLS client nor server authentication (the JDK's key manager skips it).
 * </ul>
 */
public final class StoreAnalysis {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String ANY_EKU = "2.5.29.37.0";

  private StoreAnalysis() {}

  /**
   * Reads and inspects a store.
   *
   * @param source the store
   * @param clock the clock that judges validity
   * @param warning how long before expiry a certificate counts as expiring soon
   * @param maxBytes the size cap of a store file
   * @return the report
   */
  public static StoreReport inspect(StoreSource source, Clock clock, Duration warning, long maxBytes) {
    Instant now = clock.instant();
    char[] password = source.password().orElse(new char[0]);
    try {
      StoreLoader.Loaded loaded;
      if (source.keyStore().isPresent()) {
        loaded = StoreLoader.fromKeyStore(source.keyStore().get(), password,
            source.keyStore().get().getType(), source.keyStore().get().getType());
      } else {
        loaded = StoreLoader.fromFile(source.file().orElseThrow(), source.type(), password, maxBytes);
      }
      if (loaded instanceof StoreLoader.Failed f) {
        Finding finding = unreadable(source, f);
        return new StoreReport(source.name(), f.type(), Verdict.of(List.of(finding)), List.of(finding),
            List.of(), now);
      }
      StoreLoader.Ok ok = (StoreLoader.Ok) loaded;
      List<Finding> findings = analyse(ok.entries(), now, warning);
      List<StoreEntry> entries = ok.entries().stream().map(StoreAnalysis::entry).toList();
      return new StoreReport(source.name(), ok.type(), Verdict.of(findings), findings, entries, now);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static StoreEntry entry(StoreLoader.Entry e) {
    if (e.chain().isEmpty()) {
      return new StoreEntry(e.alias(), e.kind(), "", Instant.MAX, List.of());
    }
    return new StoreEntry(e.alias(), e.kind(), subject(e.chain().get(0)),
        e.chain().get(0).getNotAfter().toInstant(), e.chain().stream().map(StoreAnalysis::subject).toList());
  }

  private static Finding unreadable(StoreSource source, StoreLoader.Failed f) {
    Finding.Builder b = Finding.builder(Code.STORE_UNREADABLE).rootCause(true)
        .title("The store cannot be read: " + switch (f.reason()) {
          case "WRONG_PASSWORD" -> "wrong password";
          case "WRONG_TYPE" -> "wrong store type";
          case "NOT_FOUND" -> "no such file";
          case "TOO_LARGE" -> "file too large";
          case "PEM_UNSUPPORTED_KEY" -> "unsupported private key format";
          default -> "damaged or not a store";
        })
        .detail(source.name() + ": " + f.explanation() + (f.jdkError().isEmpty() ? "" : "; the JDK says: " + f.jdkError()))
        .remediation(switch (f.reason()) {
          case "WRONG_PASSWORD" -> "Configure the password the store was written with (for example "
              + "javax.net.ssl.keyStorePassword or the framework's key-store-password); check it with "
              + "'keytool -list -keystore FILE'.";
          case "WRONG_TYPE" -> "Configure the store type that matches the file (" + f.detected()
              + "), for example javax.net.ssl.keyStoreType or the framework's key-store-type, or "
              + "convert the file with 'keytool -importkeystore'.";
          case "NOT_FOUND" -> "Fix the configured path, or deploy the store file.";
          case "TOO_LARGE" -> "Point the configuration at the store file itself.";
          case "PEM_UNSUPPORTED_KEY" -> "Convert the key: 'openssl pkcs8 -topk8 -nocrypt -in key.pem'.";
          default -> "Recreate or re-export the store; compare its checksum with the original.";
        })
        .evidence("reason", f.reason());
    if (!f.type().isEmpty()) {
      b.evidence("type", f.type());
    }
    if (!f.detected().isEmpty()) {
      b.evidence("detectedType", f.detected());
    }
    if (!f.jdkError().isEmpty()) {
      b.evidence("jdkError", f.jdkError());
    }
    return b.build();
  }

  static List<Finding> analyse(List<StoreLoader.Entry> entries, Instant now, Duration warning) {
    List<Finding> out = new ArrayList<>();
    boolean anyCertificate = entries.stream().anyMatch(e -> !e.chain().isEmpty());
    if (!anyCertificate) {
      out.add(Finding.builder(Code.STORE_TRUST_EMPTY).rootCause(true)
          .detail("The store holds " + entries.size() + " entries and no certificate: a trust manager "
              + "built from it has no trust anchor, and every handshake it validates fails with "
              + "'InvalidAlgorithmParameterException: the trustAnchors parameter must be non-empty'.")
          .remediation("Point the trust store configuration at a store with the CA certificates "
              + "(keytool -importcert -trustcacerts), or leave it unset to use the JDK's cacerts.")
          .evidence("entries", entries.size())
          .build());
    }
    for (StoreLoader.Entry e : entries) {
      expiry(e, now, warning, out);
      if (e.kind().equals("key")) {
        keyMatch(e, out);
        chain(e, entries, out);
      }
      unused(e, out);
    }
    duplicates(entries, out);
    return out;
  }

  private static void expiry(StoreLoader.Entry e, Instant now, Duration warning, List<Finding> out) {
    boolean anchor = e.kind().equals("trusted");
    for (int i = 0; i < e.chain().size(); i++) {
      X509Certificate c = e.chain().get(i);
      Instant notAfter = c.getNotAfter().toInstant();
      String role = anchor ? "trust anchor" : i == 0 ? "client certificate" : "chain certificate";
      long days = Duration.between(now, notAfter).toDays();
      Finding.Builder b;
      if (!notAfter.isAfter(now)) {
        b = Finding.builder(Code.STORE_CERT_EXPIRED)
            .severity(anchor ? Severity.MEDIUM : Severity.CRITICAL)
            .title("The " + role + " under alias '" + e.alias() + "' has expired")
            .detail(subject(c) + " expired on " + notAfter + (anchor
                ? ". The JDK does not check an anchor's own validity, but certificates it issued have"
                + " likely expired too, and other TLS stacks reject it."
                : ". Servers that ask for this certificate reject it: the handshake fails with "
                + "'certificate_expired' or 'bad_certificate'."))
            .remediation(anchor ? "Remove the expired anchor, or replace it with the CA's current root."
                : "Renew the certificate, import it with its chain under the same alias, and restart "
                + "or reload the application.");
      } else if (notAfter.isBefore(now.plus(warning))) {
        b = Finding.builder(Code.STORE_CERT_EXPIRING_SOON)
            .severity(anchor ? Severity.LOW : Severity.MEDIUM)
            .title("The " + role + " under alias '" + e.alias() + "' expires in " + days + " days")
            .detail(subject(c) + " expires on " + notAfter + (anchor ? "." : "; after that, servers "
                + "that ask for it reject the handshake: an outage no server-side monitor sees coming."))
            .remediation(anchor ? "Add the CA's successor root before this one expires."
                : "Renew the certificate before " + notAfter + " and deploy the new store.");
      } else {
        continue;
      }
      out.add(b.evidence("alias", e.alias()).evidence("role", role.replace(' ', '-'))
          .evidence("subject", subject(c)).evidence("notAfter", notAfter).evidence("daysLeft", days)
          .build());
    }
  }

  private static void keyMatch(StoreLoader.Entry e, List<Finding> out) {
    if (e.keyError().isPresent()) {
      out.add(Finding.builder(Code.STORE_UNREADABLE).rootCause(true)
          .title("The private key under alias '" + e.alias() + "' cannot be recovered with the password")
          .detail("The key's own password differs from the one given; KeyManagerFactory.init(store, "
              + "password) fails the same way. The JDK says: " + e.keyError().get())
          .remediation("Use the key's password (javax.net.ssl.keyStorePassword is used for both), or "
              + "give the key the store's password with 'keytool -keypasswd'.")
          .evidence("reason", "KEY_PASSWORD").evidence("alias", e.alias())
          .evidence("jdkError", e.keyError().get()).build());
      return;
    }
    if (e.key().isEmpty()) {
      return;
    }
    X509Certificate cert = e.chain().get(0);
    Optional<Boolean> matches = matches(e.key().get(), cert.getPublicKey());
    if (matches.isPresent() && !matches.get()) {
      out.add(Finding.builder(Code.STORE_KEY_MISMATCH).rootCause(true)
          .title("The private key under alias '" + e.alias() + "' does not match its certificate")
          .detail("The key (" + e.key().get().getAlgorithm() + ") is not the private half of the public"
              + " key in " + subject(cert) + ": the server's check of the CertificateVerify signature "
              + "fails ('decrypt_error' or 'bad_certificate'), or the key manager skips the entry.")
          .remediation("Import the key together with the certificate that was issued for it "
              + "(openssl pkcs12 -export -inkey key.pem -in cert.pem), or re-issue the certificate "
              + "for this key.")
          .evidence("alias", e.alias()).evidence("subject", subject(cert))
          .evidence("keyAlgorithm", e.key().get().getAlgorithm())
          .evidence("certificateKeyAlgorithm", cert.getPublicKey().getAlgorithm())
          .build());
    }
  }

  /** Whether the private key is the public key's other half; empty when that cannot be told. */
  static Optional<Boolean> matches(PrivateKey key, PublicKey pub) {
    if (key instanceof RSAKey rk && pub instanceof RSAKey rp) {
      return Optional.of(rk.getModulus().equals(rp.getModulus()));
    }
    String alg = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "DSA" -> "SHA256withDSA";
      case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
      default -> null;
    };
    if (alg == null) {
      return Optional.empty();
    }
    if (!key.getAlgorithm().equals(pub.getAlgorithm())
        && !(key.getAlgorithm().startsWith("Ed") && pub.getAlgorithm().startsWith("Ed"))) {
      return Optional.of(false);
    }
    try {
      byte[] data = new byte[32];
      new SecureRandom().nextBytes(data);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(data);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(data);
      return Optional.of(v.verify(sig));
    } catch (GeneralSecurityException | RuntimeException ex) {
      // A key of another curve or a provider that will not sign: a mismatch for the handshake too.
      return Optional.of(false);
    }
  }

  private static void chain(StoreLoader.Entry e, List<StoreLoader.Entry> all, List<Finding> out) {
    List<X509Certificate> chain = e.chain();
    for (int i = 0; i + 1 < chain.size(); i++) {
      if (!issuedBy(chain.get(i), chain.get(i + 1))) {
        out.add(incomplete(e, Severity.HIGH, "The chain under alias '" + e.alias() + "' is broken",
            "Certificate " + (i + 1) + " (" + subject(chain.get(i)) + ") is not issued by certificate "
                + (i + 2) + " (" + subject(chain.get(i + 1)) + "): the key manager sends the chain as "
                + "stored, and the server cannot build a path through it.",
            chain.get(i).getIssuerX500Principal().getName()));
        return;
      }
    }
    X509Certificate last = chain.get(chain.size() - 1);
    if (selfSigned(last) || chain.size() > 1) {
      // A chain that ends at an intermediate is the usual case: the server holds the root.
      return;
    }
    Optional<X509Certificate> issuerInStore = all.stream().flatMap(o -> o.chain().stream())
        .filter(c -> c != last && issuedBy(last, c)).findFirst();
    if (issuerInStore.isPresent() && selfSigned(issuerInStore.get())) {
      return;
    }
    String issuer = last.getIssuerX500Principal().getName();
    if (issuerInStore.isPresent()) {
      out.add(incomplete(e, Severity.HIGH, "The chain under alias '" + e.alias()
              + "' lacks its intermediate, which the store holds under another alias",
          "The chain holds only " + subject(last) + "; its issuer " + issuer + " is in the store as a "
              + "separate entry, but the key manager sends only the key's own chain, so the server "
              + "cannot reach its root.", issuer));
    } else {
      out.add(incomplete(e, Severity.MEDIUM, "The chain under alias '" + e.alias()
              + "' holds only the client certificate",
          "The chain holds only " + subject(last) + ", issued by " + issuer + ", which the store does "
              + "not hold: when that issuer is an intermediate rather than a root the server trusts, "
              + "the server cannot build a path and rejects the certificate.", issuer));
    }
  }

  private static Finding incomplete(StoreLoader.Entry e, Severity severity, String title, String detail,
      String missingIssuer) {
    return Finding.builder(Code.STORE_CHAIN_INCOMPLETE).severity(severity).title(title).detail(detail)
        .remediation("Import the key entry again with its full chain (leaf first, then each "
            + "intermediate): 'keytool -importcert -alias " + e.alias() + "' with the CA's chain file, "
            + "or 'openssl pkcs12 -export -certfile chain.pem'.")
        .evidence("alias", e.alias()).evidence("chainLength", e.chain().size())
        .evidence("missingIssuer", missingIssuer).build();
  }

  private static void unused(StoreLoader.Entry e, List<Finding> out) {
    String why = null;
    if (e.kind().equals("secret")) {
      why = "it holds a secret key, which neither a KeyManagerFactory nor a TrustManagerFactory reads";
    } else if (e.kind().equals("key")) {
      try {
        List<String> eku = e.chain().get(0).getExtendedKeyUsage();
        if (eku != null && !eku.contains(CLIENT_AUTH) && !eku.contains(SERVER_AUTH) && !eku.contains(ANY_EKU)) {
          why = "its certificate's extended key usage (" + String.join(", ", eku) + ") allows neither "
              + "TLS client nor server authentication, so the JDK's key manager never chooses it";
        }
      } catch (CertificateParsingException ex) {
        why = "its certificate's extended key usage cannot be parsed";
      }
    }
    if (why != null) {
      out.add(Finding.builder(Code.STORE_UNUSED_ALIAS)
          .title("Alias '" + e.alias() + "' is never used for TLS")
          .detail("No key or trust manager built from this store uses alias '" + e.alias() + "': " + why + ".")
          .remediation("Remove the alias (keytool -delete -alias " + e.alias() + ") or move it to the "
              + "store of the component that uses it, so that the TLS store holds only what TLS uses.")
          .evidence("alias", e.alias()).evidence("kind", e.kind()).build());
    }
  }

  private static void duplicates(List<StoreLoader.Entry> entries, List<Finding> out) {
    Map<String, List<String>> byCert = new LinkedHashMap<>();
    Map<String, String> subjects = new LinkedHashMap<>();
    for (StoreLoader.Entry e : entries) {
      if (e.chain().isEmpty()) {
        continue;
      }
      try {
        String der = java.util.Base64.getEncoder().encodeToString(e.chain().get(0).getEncoded());
        byCert.computeIfAbsent(der, k -> new ArrayList<>()).add(e.alias());
        subjects.putIfAbsent(der, subject(e.chain().get(0)));
      } catch (CertificateEncodingException ex) {
        // Not comparable: not a duplicate we can prove.
      }
    }
    byCert.forEach((der, aliases) -> {
      if (aliases.size() > 1) {
        out.add(Finding.builder(Code.STORE_DUPLICATE_ALIAS)
            .title("The same certificate is stored under " + aliases.size() + " aliases")
            .detail(subjects.get(der) + " is under aliases " + String.join(", ", aliases)
                + ": renewing one alias leaves the old copy behind, and a key manager may pick either.")
            .remediation("Keep one alias per certificate; delete the others with keytool -delete.")
            .evidence("aliases", aliases).evidence("subject", subjects.get(der)).build());
      }
    });
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate issuer) {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    return issuedBy(c, c);
  }

  private static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }
}
