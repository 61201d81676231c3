package dev.tlsinspect.spring.boot.autoconfigure;

import dev.tlsinspect.testing.CertificateBuilder;
import dev.tlsinspect.testing.IssuedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** One test PKI: a root the test application trusts through an SSL bundle, leaves for localhost. */
final class Pki {
  static final IssuedCertificate ROOT = CertificateBuilder.root("Boot Test Root").build();

  private Pki() {}

  /** A leaf with nothing to report (a CRL URL, so no "no revocation information" finding). */
  static IssuedCertificate healthyLeaf() {
    return CertificateBuilder.leaf("localhost").issuedBy(ROOT).crlUrl("http://127.0.0.1:9/ca.crl").build();
  }

  static IssuedCertificate expiredLeaf() {
    return CertificateBuilder.leaf("localhost").issuedBy(ROOT).expired().build();
  }

  /** A leaf whose key pair is generated here: no key shared with the test kit's other leaves. */
  static IssuedCertificate leafWithOwnKey(String name, String keyAlgorithm) {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance(keyAlgorithm);
      if (keyAlgorithm.equals("EC")) {
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      } else {
        generator.initialize(2048);
      }
      return CertificateBuilder.leaf(name).issuedBy(ROOT).keyPair(generator.generateKeyPair()).build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A loopback port nothing listens on: bound, then released. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
