package dev.tlsinspect.internal.store;

import dev.tlsinspect.StoreType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a store into {@link Loaded}: the bytes within a cap, the type from the first bytes, the
 * JDK's own loader for PKCS#12 and JKS (so that its error texts are the application's), a small
 * PEM reader for bundles.
 */
final class StoreLoader {
  private static final Pattern PEM_BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "DSA", "RSASSA-PSS"};

  private StoreLoader() {}

  /** One alias, as the analysis sees it. */
  record Entry(String alias, String kind, Optional<PrivateKey> key, List<X509Certificate> chain,
      Optional<String> keyError) {}

  /** A store read, or why it could not be. */
  sealed interface Loaded permits Ok, Failed {}

  record Ok(String type, String detected, List<Entry> entries) implements Loaded {}

  /**
   * @param reason a stable word: NOT_FOUND, TOO_LARGE, WRONG_PASSWORD, WRONG_TYPE, CORRUPT,
   *     PEM_UNSUPPORTED_KEY, UNREADABLE
   * @param jdkError the JDK's exception as it reads ("java.io.IOException: ..."), or the loader's
   */
  record Failed(String reason, String type, String detected, String jdkError, String explanation)
      implements Loaded {}

  static Loaded fromFile(Path file, Optional<StoreType> given, char[] password, long maxBytes) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (NoSuchFileException e) {
      return new Failed("NOT_FOUND", given.map(Enum::name).orElse(""), "", "java.nio.file.NoSuchFileException: " + file,
          "the file does not exist");
    } catch (IOException e) {
      return new Failed("UNREADABLE", given.map(Enum::name).orElse(""), "", e.toString(),
          "the file cannot be read");
    }
    if (bytes.length > maxBytes) {
      return new Failed("TOO_LARGE", given.map(Enum::name).orElse(""), "", "",
          "the file is larger than " + maxBytes + " bytes, more than any key or trust store needs");
    }
    String detected = detect(bytes);
    // Content in no known shape is read as the JDK's default type, so the error is the one an
    // application with no configured type gets.
    String type = given.map(Enum::name).orElse(detected.equals("UNKNOWN") ? "PKCS12" : detected);
    if (type.equals("PEM")) {
      return pem(bytes, detected);
    }
    KeyStore ks;
    try {
      ks = KeyStore.getInstance(type);
      ks.load(new ByteArrayInputStream(bytes), password.length == 0 ? null : password);
    } catch (IOException e) {
      return loadFailure(e, type, detected);
    } catch (GeneralSecurityException e) {
      return new Failed("UNREADABLE", type, detected, e.toString(), "the JDK cannot read this store type");
    }
    return fromKeyStore(ks, password, ks.getType(), detected);
  }

  /** Tells the type from the first bytes: PEM text, the JKS or JCEKS magic number, else PKCS#12. */
  static String detect(byte[] bytes) {
    if (bytes.length >= 4) {
      int magic = ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8)
          | (bytes[3] & 0xff);
      if (magic == 0xFEEDFEED) {
        return "JKS";
      }
      if (magic == 0xCECECECE) {
        return "JCEKS";
      }
    }
    String head = new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.ISO_8859_1);
    if (head.contains("-----BEGIN ")) {
      return "PEM";
    }
    return bytes.length > 0 && bytes[0] == 0x30 ? "PKCS12" : "UNKNOWN";
  }

  private static Failed loadFailure(IOException e, String type, String detected) {
    String text = e.toString();
    Throwable cause = e.getCause();
    boolean password = cause instanceof UnrecoverableKeyException
        || String.valueOf(e.getMessage()).contains("password was incorrect")
        || String.valueOf(e.getMessage()).startsWith("Integrity check failed");
    if (password) {
      return new Failed("WRONG_PASSWORD", type, detected, text + (cause != null ? " (cause: " + cause + ")" : ""),
          "the password does not open this " + type + " store: the JDK reports a wrong password this way"
              + (type.equals("PKCS12") ? " (\"keystore password was incorrect\" when the password "
              + "cannot decrypt the certificates, \"Integrity check failed\" when the MAC does not verify)"
              : " (\"Keystore was tampered with, or password was incorrect\": the store's keyed digest does not match)"));
    }
    if (!detected.equals(type) && !detected.equals("UNKNOWN")) {
      return new Failed("WRONG_TYPE", type, detected, text,
          "the file is a " + detected + " store (told by its first bytes), read as " + type
              + ": the " + type + " loader does not understand it"
              + (text.contains("Invalid keystore format") ? " (\"Invalid keystore format\": the JKS/JCEKS "
              + "loader found no magic number it knows)" : "")
              + (text.contains("DerInputStream") || text.contains("toDerInputStream")
              ? " (the PKCS12 loader expects DER, and the first bytes are not a DER structure)" : ""));
    }
    return new Failed("CORRUPT", type, detected, text,
        "the file is not a valid " + type + " store: it is truncated, damaged, or another kind of file"
            + (e instanceof java.io.EOFException ? " (EOFException: the loader ran out of bytes)" : ""));
  }

  static Ok fromKeyStore(KeyStore ks, char[] keyPassword, String type, String detected) {
    List<Entry> entries = new ArrayList<>();
    try {
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isCertificateEntry(alias)) {
          Certificate c = ks.getCertificate(alias);
          entries.add(new Entry(alias, "trusted", Optional.empty(),
              c instanceof X509Certificate x ? List.of(x) : List.of(), Optional.empty()));
          continue;
        }
        Certificate[] chain = ks.getCertificateChain(alias);
        List<X509Certificate> certs = new ArrayList<>();
        if (chain != null) {
          for (Certificate c : chain) {
            if (c instanceof X509Certificate x) {
              certs.add(x);
            }
          }
        }
        if (certs.isEmpty()) {
          entries.add(new Entry(alias, "secret", Optional.empty(), List.of(), Optional.empty()));
          continue;
        }
        Optional<PrivateKey> key = Optional.empty();
        Optional<String> error = Optional.empty();
        try {
          Key k = ks.getKey(alias, keyPassword);
          if (k instanceof PrivateKey pk) {
            key = Optional.of(pk);
          }
        } catch (UnrecoverableKeyException e) {
          error = Optional.of(e.toString());
        }
        entries.add(new Entry(alias, "key", key, List.copyOf(certs), error));
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the key store is not loaded: " + e.getMessage(), e);
    }
    entries.sort((a, b) -> a.alias().compareTo(b.alias()));
    return new Ok(type, detected, entries);
  }

  /** A PEM bundle: certificates, and at most one unencrypted PKCS#8 key whose chain they are. */
  private static Loaded pem(byte[] bytes, String detected) {
    if (!detected.equals("PEM")) {
      return new Failed("WRONG_TYPE", "PEM", detected, "no PEM block found",
          "the file is " + (detected.equals("UNKNOWN") ? "not PEM text" : "a binary " + detected + " store")
              + ", read as a PEM bundle");
    }
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    Matcher m = PEM_BLOCK.matcher(text);
    List<X509Certificate> certs = new ArrayList<>();
    Optional<PrivateKey> key = Optional.empty();
    int keys = 0;
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      while (m.find()) {
        String label = m.group(1);
        byte[] der = Base64.getMimeDecoder().decode(m.group(2));
        switch (label) {
          case "CERTIFICATE" -> certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der)));
          case "PRIVATE KEY" -> {
            keys++;
            key = Optional.of(privateKey(der));
          }
          case "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY" ->
              { return new Failed("PEM_UNSUPPORTED_KEY", "PEM", detected, "BEGIN " + label,
                  "the bundle holds a '" + label + "' block; JSSE reads only unencrypted PKCS#8 keys "
                      + "('PRIVATE KEY'): convert with 'openssl pkcs8 -topk8 -nocrypt' or use PKCS#12"); }
          default -> { }
        }
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return new Failed("CORRUPT", "PEM", detected, e.toString(), "a PEM block cannot be decoded");
    }
    if (keys > 1) {
      return new Failed("CORRUPT", "PEM", detected, keys + " PRIVATE KEY blocks",
          "a PEM bundle may hold one private key; split the bundle per key");
    }
    List<Entry> entries = new ArrayList<>();
    if (key.isPresent() && !certs.isEmpty()) {
      entries.add(new Entry("key", "key", key, List.copyOf(certs), Optional.empty()));
    } else {
      for (int i = 0; i < certs.size(); i++) {
        entries.add(new Entry("cert-" + (i + 1), "trusted", Optional.empty(), List.of(certs.get(i)),
            Optional.empty()));
      }
    }
    return new Ok("PEM", detected, entries);
  }

  private static PrivateKey privateKey(byte[] der) throws GeneralSecurityException {
    GeneralSecurityException last = null;
    for (String alg : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        last = e;
      }
    }
    throw last;
  }
}
