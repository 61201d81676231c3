package dev.tlsinspect.internal.cert;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The revocation and issuer URLs a certificate names: OCSP responders and caIssuers from the
 * Authority Information Access extension, and CRL distribution points. Malformed extensions give
 * no URLs. Not API.
 */
public final class RevocationUrls {
  private static final String AIA_OID = "1.3.6.1.5.5.7.1.1";
  private static final String CRL_DP_OID = "2.5.29.31";
  private static final String OCSP_METHOD = "1.3.6.1.5.5.7.48.1";
  private static final String CA_ISSUERS_METHOD = "1.3.6.1.5.5.7.48.2";
  private static final int URI_TAG = 0x86;

  private RevocationUrls() {}

  public static List<String> ocsp(X509Certificate cert) {
    return aia(cert, OCSP_METHOD);
  }

  public static List<String> caIssuers(X509Certificate cert) {
    return aia(cert, CA_ISSUERS_METHOD);
  }

  private static List<String> aia(X509Certificate cert, String method) {
    List<String> out = new ArrayList<>();
    try {
      Der.Reader list = extension(cert, AIA_OID);
      while (list != null && list.hasMore()) {
        Der.Reader ad = list.next().expect(Der.SEQUENCE).children();
        String oid = ad.next().oid();
        Der.Value location = ad.next();
        if (oid.equals(method) && location.tag() == URI_TAG) {
          out.add(location.ia5());
        }
      }
    } catch (Der.MalformedException e) {
      return out;
    }
    return out;
  }

  public static List<String> crls(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Der.Reader list = extension(cert, CRL_DP_OID);
      while (list != null && list.hasMore()) {
        Der.Reader dp = list.next().expect(Der.SEQUENCE).children();
        if (dp.peekTag() != 0xA0) {
          continue; // only a cRLIssuer: nothing to download
        }
        Der.Value name = dp.next().explicit();
        if (name.tag() != 0xA0) {
          continue; // nameRelativeToCRLIssuer: not a URL
        }
        Der.Reader names = name.children();
        while (names.hasMore()) {
          Der.Value n = names.next();
          if (n.tag() == URI_TAG) {
            out.add(n.ia5());
          }
        }
      }
    } catch (Der.MalformedException e) {
      return out;
    }
    return out;
  }

  /** The extension's SEQUENCE OF content, or null when absent. */
  private static Der.Reader extension(X509Certificate cert, String oid) throws Der.MalformedException {
    byte[] wrapped = cert.getExtensionValue(oid);
    if (wrapped == null) {
      return null;
    }
    byte[] value = Der.parse(wrapped).octetString();
    return Der.parse(value).expect(Der.SEQUENCE).children();
  }
}
