package dev.tlsinspect.internal.cert;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/** A tiny PKI for the revocation tests of core: CA, leaves, responders, OCSP responses, CRLs. */
final class RevocationPki {
  private static final AtomicLong SERIAL = new AtomicLong(1000);
  final KeyPair caKey = key();
  final X509Certificate ca;

  RevocationPki(String name) {
    ca = cert(new X500Name("CN=" + name), new X500Name("CN=" + name), caKey.getPublic(), caKey.getPrivate(),
        true, null, null, null);
  }

  static KeyPair key() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(256);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  X509Certificate leaf(String cn, String ocspUrl, String crlUrl) {
    return cert(new X500Name(ca.getSubjectX500Principal().getName()), new X500Name("CN=" + cn),
        key().getPublic(), caKey.getPrivate(), false, ocspUrl, crlUrl, null);
  }

  X509Certificate responder(KeyPair key, boolean ocspSigning) {
    return cert(new X500Name(ca.getSubjectX500Principal().getName()), new X500Name("CN=OCSP responder"),
        key.getPublic(), caKey.getPrivate(), false, null, null,
        ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_serverAuth);
  }

  private static X509Certificate cert(X500Name issuer, X500Name subject, java.security.PublicKey key,
      PrivateKey signer, boolean isCa, String ocspUrl, String crlUrl, KeyPurposeId eku) {
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
          BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minusSeconds(3600)),
          Date.from(now.plusSeconds(86400 * 30)), subject, key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
      if (isCa) {
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      }
      if (ocspUrl != null) {
        b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
            new AccessDescription(AccessDescription.id_ad_ocsp,
                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
      }
      if (crlUrl != null) {
        b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))), null, null)}));
      }
      if (eku != null) {
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
      }
      return new JcaX509CertificateConverter().getCertificate(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** What the OCSP response says and how it is signed. */
  static final class Ocsp {
    CertificateStatus status = CertificateStatus.GOOD;
    Instant thisUpdate = Instant.now().minusSeconds(60);
    Instant nextUpdate = Instant.now().plusSeconds(86400);
    PrivateKey signer;
    X509Certificate[] included = new X509Certificate[0];
    X509Certificate responderCert;
    boolean sha256;
    BigInteger serial;

    Ocsp revoked(Instant when, int reason) {
      status = new RevokedStatus(Date.from(when), reason);
      return this;
    }

    Ocsp unknown() {
      status = new UnknownStatus();
      return this;
    }
  }

  Ocsp ocsp() {
    Ocsp o = new Ocsp();
    o.signer = caKey.getPrivate();
    return o;
  }

  byte[] response(X509Certificate leaf, Ocsp o) {
    try {
      DigestCalculatorProvider digests = new JcaDigestCalculatorProviderBuilder().build();
      CertificateID id = new CertificateID(digests.get(o.sha256 ? CertificateID.HASH_SHA1 : CertificateID.HASH_SHA1),
          new JcaX509CertificateHolder(ca), o.serial != null ? o.serial : leaf.getSerialNumber());
      if (o.sha256) {
        id = new CertificateID(digests.get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)),
            new JcaX509CertificateHolder(ca), o.serial != null ? o.serial : leaf.getSerialNumber());
      }
      X509Certificate responder = o.responderCert != null ? o.responderCert : ca;
      BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
          new JcaX509CertificateHolder(responder).getSubject()));
      b.addResponse(id, o.status, Date.from(o.thisUpdate), o.nextUpdate == null ? null : Date.from(o.nextUpdate));
      org.bouncycastle.cert.X509CertificateHolder[] chain = new org.bouncycastle.cert.X509CertificateHolder[o.included.length];
      for (int i = 0; i < chain.length; i++) {
        chain[i] = new JcaX509CertificateHolder(o.included[i]);
      }
      var basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(o.signer), chain,
          Date.from(Instant.now()));
      return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] errorResponse(int status) {
    try {
      return new OCSPResp(new org.bouncycastle.asn1.ocsp.OCSPResponse(
          new org.bouncycastle.asn1.ocsp.OCSPResponseStatus(status), null)).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  X509CRL crl(Instant thisUpdate, Instant nextUpdate, boolean crlNumber, BigInteger... revoked) {
    try {
      X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name(ca.getSubjectX500Principal().getName()),
          Date.from(thisUpdate));
      b.setNextUpdate(Date.from(nextUpdate));
      for (BigInteger s : revoked) {
        b.addCRLEntry(s, Date.from(thisUpdate), org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
      }
      if (crlNumber) {
        b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
      }
      return new JcaX509CRLConverter().getCRL(
          b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
