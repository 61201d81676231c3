package dev.tlsinspect.internal;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Reads the caIssuers URL of the Authority Information Access extension with a small bounded DER
 * walk (the JDK has no public API for it). Not API.
 */
final class AiaUrls {
  private static final String AIA_OID = "1.3.6.1.5.5.7.1.1";
  // id-ad-caIssuers 1.3.6.1.5.5.7.48.2, DER content bytes
  private static final byte[] CA_ISSUERS = {0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};

  private AiaUrls() {}

  static Optional<String> caIssuers(X509Certificate cert) {
    byte[] ext = cert.getExtensionValue(AIA_OID);
    if (ext == null || ext.length > 65536) {
      return Optional.empty();
    }
    // Scan for OID caIssuers followed by a [6] IA5String URI; bounded by the extension's size.
    for (int i = 0; i + CA_ISSUERS.length + 4 < ext.length; i++) {
      if (ext[i] == 0x06 && ext[i + 1] == CA_ISSUERS.length && matches(ext, i + 2)) {
        int p = i + 2 + CA_ISSUERS.length;
        if ((ext[p] & 0xFF) != 0x86) {
          continue;
        }
        int len = ext[p + 1] & 0xFF;
        int start = p + 2;
        if (len == 0x81 && start < ext.length) {
          len = ext[start] & 0xFF;
          start++;
        } else if (len == 0x82 && start + 1 < ext.length) {
          len = ((ext[start] & 0xFF) << 8) | (ext[start + 1] & 0xFF);
          start += 2;
        } else if (len > 0x7F) {
          continue;
        }
        if (start + len <= ext.length) {
          return Optional.of(new String(ext, start, len, StandardCharsets.US_ASCII));
        }
      }
    }
    return Optional.empty();
  }

  private static boolean matches(byte[] b, int at) {
    for (int j = 0; j < CA_ISSUERS.length; j++) {
      if (b[at + j] != CA_ISSUERS[j]) {
        return false;
      }
    }
    return true;
  }
}
