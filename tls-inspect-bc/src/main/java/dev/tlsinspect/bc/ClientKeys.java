package dev.tlsinspect.bc;

import dev.tlsinspect.ClientCredentials;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsClientContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/*
 * The application's key store, answered to a CertificateRequest on Bouncy Castle: the alias is
 * chosen by the JDK's own key manager over the key store (like the JSSE probe and the application),
 * asked with the JDK key types the server's signature schemes allow; then the key signs with the
 * first scheme in the server's list that fits it.
 */
/** Client credentials for the Bouncy Castle probe. Not API. */
final class ClientKeys {
  private ClientKeys() {}

  static TlsCredentials credentials(ClientCredentials credentials, CertificateRequest request,
      List<SignatureAndHashAlgorithm> algorithms, List<String> issuers, TlsClientContext context,
      BcTlsCrypto crypto, Consumer<String> chosen) throws IOException {
    boolean tls13 = TlsUtils.isTLSv13(context);
    Set<String> keyTypes = new LinkedHashSet<>();
    for (SignatureAndHashAlgorithm a : algorithms) {
      String type = keyType(SignatureScheme.from(a), tls13);
      if (type != null) {
        keyTypes.add(type);
      }
    }
    if (algorithms.isEmpty() && request.getCertificateTypes() != null) {
      for (short t : request.getCertificateTypes()) {
        if (t == ClientCertificateType.rsa_sign) {
          keyTypes.add("RSA");
        } else if (t == ClientCertificateType.ecdsa_sign) {
          keyTypes.add("EC");
        }
      }
    }
    if (keyTypes.isEmpty()) {
      return null;
    }
    List<X500Principal> principals = new ArrayList<>();
    for (String name : issuers) {
      principals.add(new X500Principal(name));
    }
    X509ExtendedKeyManager keys = credentials.keyManager();
    String alias = keys.chooseClientAlias(keyTypes.toArray(String[]::new),
        principals.isEmpty() ? null : principals.toArray(X500Principal[]::new), null);
    if (alias == null) {
      return null;
    }
    PrivateKey key = keys.getPrivateKey(alias);
    X509Certificate[] chain = keys.getCertificateChain(alias);
    if (key == null || chain == null || chain.length == 0) {
      return null;
    }
    SignatureAndHashAlgorithm scheme = null;
    for (SignatureAndHashAlgorithm a : algorithms) {
      if (key.getAlgorithm().equals(keyType(SignatureScheme.from(a), tls13))
          || ("EdDSA".equals(keyType(SignatureScheme.from(a), tls13)) && key.getAlgorithm().startsWith("Ed"))) {
        scheme = a;
        break;
      }
    }
    if (scheme == null && !algorithms.isEmpty()) {
      return null;
    }
    TlsCertificate[] certs = new TlsCertificate[chain.length];
    try {
      for (int i = 0; i < chain.length; i++) {
        certs[i] = crypto.createCertificate(chain[i].getEncoded());
      }
    } catch (CertificateEncodingException e) {
      throw new IOException("cannot encode the client certificate: " + e.getMessage(), e);
    }
    Certificate certificate;
    if (tls13) {
      CertificateEntry[] entries = new CertificateEntry[certs.length];
      for (int i = 0; i < certs.length; i++) {
        entries[i] = new CertificateEntry(certs[i], null);
      }
      certificate = new Certificate(request.getCertificateRequestContext(), entries);
    } else {
      certificate = new Certificate(certs);
    }
    AsymmetricKeyParameter privateKey = PrivateKeyFactory.createKey(key.getEncoded());
    chosen.accept(alias);
    return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, privateKey,
        certificate, scheme);
  }

  /** The JDK key type a signature scheme needs, or null for one this probe cannot sign with. */
  private static String keyType(int scheme, boolean tls13) {
    if (SignatureScheme.isECDSA(scheme)) {
      return "EC";
    }
    if (scheme == SignatureScheme.rsa_pss_rsae_sha256 || scheme == SignatureScheme.rsa_pss_rsae_sha384
        || scheme == SignatureScheme.rsa_pss_rsae_sha512) {
      return "RSA";
    }
    if (!tls13 && (scheme == SignatureScheme.rsa_pkcs1_sha256 || scheme == SignatureScheme.rsa_pkcs1_sha384
        || scheme == SignatureScheme.rsa_pkcs1_sha512 || scheme == SignatureScheme.rsa_pkcs1_sha1)) {
      return "RSA";
    }
    if (scheme == SignatureScheme.ed25519 || scheme == SignatureScheme.ed448) {
      return "EdDSA";
    }
    return null;
  }
}
