package dev.tlsinspect.spring.boot.autoconfigure;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * One SSL bundle's stores, read without any I/O: each key entry's certificate (expired, not yet
 * valid, expiring within the critical window, private key not matching it: OUT_OF_SERVICE) and
 * the trust store's anchors (reported, expired ones listed; they do not change the status, as a
 * trust store often keeps old anchors harmlessly).
 */
final class SslBundleHealthIndicator implements HealthIndicator {
  private static final byte[] PROBE = "tls-inspect key/certificate match".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final SslBundles bundles;
  private final String name;
  private final Duration criticalWindow;
  private final Clock clock;

  SslBundleHealthIndicator(SslBundles bundles, String name, Duration criticalWindow, Clock clock) {
    this.bundles = bundles;
    this.name = name;
    this.criticalWindow = criticalWindow;
    this.clock = clock;
  }

  @Override
  public Health health() {
    SslBundle bundle = bundles.getBundle(name);
    Instant now = clock.instant();
    Status status = Status.UP;
    Map<String, Object> details = new LinkedHashMap<>();
    KeyStore keyStore = bundle.getStores().getKeyStore();
    if (keyStore != null) {
      char[] password = password(bundle);
      Map<String, Object> keys = new LinkedHashMap<>();
      try {
        for (String alias : Collections.list(keyStore.aliases())) {
          if (!keyStore.isKeyEntry(alias) || !(keyStore.getCertificate(alias) instanceof X509Certificate cert)) {
            continue;
          }
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("subject", cert.getSubjectX500Principal().getName());
          entry.put("notAfter", cert.getNotAfter().toInstant().toString());
          entry.put("daysToExpiry", Duration.between(now, cert.getNotAfter().toInstant()).toDays());
          String validity = validity(cert, now);
          entry.put("validity", validity);
          Boolean match = keyMatches(keyStore, alias, password, cert.getPublicKey());
          if (match != null) {
            entry.put("keyMatchesCertificate", match);
          }
          if (!validity.equals("VALID") || Boolean.FALSE.equals(match)) {
            status = Status.OUT_OF_SERVICE;
          }
          keys.put(alias, entry);
        }
      } catch (GeneralSecurityException e) {
        return Health.status(Status.OUT_OF_SERVICE).withDetail("error", e.toString()).build();
      }
      details.put("keyStore", keys);
    }
    KeyStore trustStore = bundle.getStores().getTrustStore();
    if (trustStore != null) {
      List<String> expired = new ArrayList<>();
      int anchors = 0;
      try {
        for (String alias : Collections.list(trustStore.aliases())) {
          Certificate c = trustStore.getCertificate(alias);
          if (trustStore.isCertificateEntry(alias) && c instanceof X509Certificate x) {
            anchors++;
            if (x.getNotAfter().toInstant().isBefore(now)) {
              expired.add(alias);
            }
          }
        }
      } catch (GeneralSecurityException e) {
        return Health.status(Status.OUT_OF_SERVICE).withDetail("error", e.toString()).build();
      }
      Map<String, Object> trust = new LinkedHashMap<>();
      trust.put("anchors", anchors);
      trust.put("expiredAnchors", expired);
      details.put("trustStore", trust);
    }
    return Health.status(status).withDetails(details).build();
  }

  private String validity(X509Certificate cert, Instant now) {
    if (cert.getNotBefore().toInstant().isAfter(now)) {
      return "NOT_YET_VALID";
    }
    Instant notAfter = cert.getNotAfter().toInstant();
    if (notAfter.isBefore(now)) {
      return "EXPIRED";
    }
    return notAfter.isBefore(now.plus(criticalWindow)) ? "EXPIRING_WITHIN_CRITICAL_WINDOW" : "VALID";
  }

  private static char[] password(SslBundle bundle) {
    String p = bundle.getKey().getPassword() != null ? bundle.getKey().getPassword()
        : bundle.getStores().getKeyStorePassword();
    return p == null ? new char[0] : p.toCharArray();
  }

  /** Signs and verifies a fixed text: true or false, or null when the key cannot be read. */
  private static Boolean keyMatches(KeyStore store, String alias, char[] password, PublicKey publicKey) {
    try {
      Key key = store.getKey(alias, password);
      if (!(key instanceof PrivateKey privateKey)) {
        return null;
      }
      String algorithm = switch (publicKey.getAlgorithm()) {
        case "RSA" -> "SHA256withRSA";
        case "EC" -> "SHA256withECDSA";
        case "Ed25519", "EdDSA" -> "Ed25519";
        case "Ed448" -> "Ed448";
        default -> null;
      };
      if (algorithm == null || !algorithm.startsWith("SHA") && !privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
        return algorithm == null ? null : Boolean.FALSE;
      }
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(PROBE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(PROBE);
      return verifier.verify(signature);
    } catch (java.security.InvalidKeyException e) {
      return Boolean.FALSE; // a key of another algorithm than the certificate's
    } catch (GeneralSecurityException e) {
      return null;
    }
  }
}
