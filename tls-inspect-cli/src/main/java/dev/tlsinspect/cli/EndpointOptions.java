package dev.tlsinspect.cli;

import dev.tlsinspect.ClientCredentials;
import dev.tlsinspect.ProxySpec;
import dev.tlsinspect.Starttls;
import dev.tlsinspect.Target;
import dev.tlsinspect.TrustMaterial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options that say how to reach an endpoint and what to trust, shared (as a picocli mixin) by
 * the inspection and by {@code explain}.
 */
final class EndpointOptions {

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Also trust the certificates in this PEM file (repeatable).")
  List<Path> caFiles = new ArrayList<>();

  @Option(names = "--trust-store", paramLabel = "FILE",
      description = "Trust the certificates of this key store instead of the JVM's default.")
  Path trustStore;

  @Option(names = "--trust-store-password", paramLabel = "P",
      description = "The trust store's password (default: none).")
  String trustStorePassword;

  @Option(names = "--trust-store-type", paramLabel = "T",
      description = "The trust store's type (default: PKCS12).")
  String trustStoreType;

  @Option(names = "--client-cert", paramLabel = "FILE",
      description = "Present the client certificate and key of this PKCS12 file when the server asks "
          + "for one (mutual TLS), the way the application's key manager would.")
  Path clientCert;

  @Option(names = "--client-cert-password", paramLabel = "P",
      description = "The password of --client-cert (default: none).")
  String clientCertPassword;

  @Option(names = "--key-store", paramLabel = "FILE",
      description = "Like --client-cert, for a key store of any type (--key-store-type).")
  Path keyStore;

  @Option(names = "--key-store-password", paramLabel = "P",
      description = "The key store's password (default: none).")
  String keyStorePassword;

  @Option(names = "--key-store-type", paramLabel = "T",
      description = "The key store's type: PKCS12 (default) or JKS.")
  String keyStoreType;

  @Option(names = "--key-alias", paramLabel = "ALIAS",
      description = "Offer only this alias of the client key store, like an application configured "
          + "with a key alias.")
  String keyAlias;

  @Option(names = "--sni", paramLabel = "NAME", description = "Send this server name in SNI instead of HOST.")
  String sni;

  @Option(names = "--no-sni", description = "Send no SNI.")
  boolean noSni;

  @Option(names = "--connect", paramLabel = "ADDRESS",
      description = "Connect to this address instead of resolving HOST; the certificate is still "
          + "checked against HOST.")
  String connect;

  @Option(names = "--starttls", paramLabel = "PROTO",
      description = "Speak this protocol in plain text first and upgrade with STARTTLS: smtp, imap, "
          + "pop3, ftp, ldap, postgres, mysql, xmpp. Without :PORT, the protocol's port (smtp 587, "
          + "imap 143, pop3 110, ftp 21, ldap 389, postgres 5432, mysql 3306, xmpp 5222).")
  String starttls;

  @Option(names = "--proxy", paramLabel = "URL",
      description = "Connect through this proxy: http://[USER:PASSWORD@]HOST:PORT (HTTP CONNECT) or "
          + "socks5://[USER:PASSWORD@]HOST:PORT. The proxy resolves HOST.")
  String proxy;

  /** Whether any of these options was given. */
  boolean anyGiven() {
    return !caFiles.isEmpty() || trustStore != null || trustStorePassword != null
        || trustStoreType != null || sni != null || noSni || connect != null || clientCert != null
        || clientCertPassword != null || keyStore != null || keyStorePassword != null
        || keyStoreType != null || keyAlias != null || starttls != null || proxy != null;
  }

  /** Rejects combinations that cannot work, before anything is read or connected. */
  void validate() {
    if (sni != null && noSni) {
      throw UsageException.badArgument("--sni and --no-sni cannot be used together");
    }
    if (trustStore == null && (trustStorePassword != null || trustStoreType != null)) {
      throw UsageException.badArgument(
          "--trust-store-password and --trust-store-type need --trust-store FILE");
    }
    if (starttls != null) {
      try {
        Starttls.parse(starttls);
      } catch (IllegalArgumentException e) {
        throw UsageException.badArgument("--starttls: " + e.getMessage());
      }
    }
    if (proxy != null) {
      try {
        ProxySpec.parse(proxy);
      } catch (IllegalArgumentException e) {
        // The message never holds the URL's password.
        throw UsageException.badArgument("--proxy: " + e.getMessage());
      }
    }
    if (clientCert != null && keyStore != null) {
      throw UsageException.badArgument("--client-cert and --key-store cannot be used together");
    }
    if (clientCert == null && clientCertPassword != null) {
      throw UsageException.badArgument("--client-cert-password needs --client-cert FILE");
    }
    if (keyStore == null && (keyStorePassword != null || keyStoreType != null)) {
      throw UsageException.badArgument("--key-store-password and --key-store-type need --key-store FILE");
    }
    if (keyAlias != null && clientCert == null && keyStore == null) {
      throw UsageException.badArgument("--key-alias needs --client-cert or --key-store FILE");
    }
  }

  /**
   * The client key store of --client-cert or --key-store; a missing or unreadable file, or a wrong
   * password, throws IllegalArgumentException with the reason (never the password).
   */
  java.util.Optional<ClientCredentials> clientCredentials() {
    ClientCredentials credentials;
    if (clientCert != null) {
      credentials = ClientCredentials.keyStoreFile(clientCert,
          (clientCertPassword == null ? "" : clientCertPassword).toCharArray(), "PKCS12");
    } else if (keyStore != null) {
      credentials = ClientCredentials.keyStoreFile(keyStore,
          (keyStorePassword == null ? "" : keyStorePassword).toCharArray(),
          keyStoreType == null ? "PKCS12" : keyStoreType);
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(keyAlias == null ? credentials : credentials.withAlias(keyAlias));
  }

  /** The target; invalid values throw IllegalArgumentException with the reason. */
  Target target(String hostAndPort) {
    Target parsed = Target.parse(hostAndPort);
    int port = parsed.port();
    if (starttls != null && !hasPort(hostAndPort.trim())) {
      // "--starttls smtp mail.example.com" means the submission port, not 443.
      port = Starttls.parse(starttls).defaultPort();
    }
    Target.Builder b = Target.builder(parsed.host(), port);
    if (sni != null) {
      b.sni(sni);
    } else if (noSni) {
      b.noSni();
    }
    if (connect != null) {
      b.connectAddress(connect);
    }
    if (starttls != null) {
      b.starttls(Starttls.parse(starttls));
    }
    if (proxy != null) {
      b.proxy(ProxySpec.parse(proxy));
    }
    return b.build();
  }

  private static boolean hasPort(String hostAndPort) {
    if (hostAndPort.contains("://")) {
      return true; // smtps://, imaps://: the scheme names the port
    }
    if (hostAndPort.startsWith("[")) {
      return hostAndPort.contains("]:");
    }
    int colon = hostAndPort.indexOf(':');
    return colon >= 0 && colon == hostAndPort.lastIndexOf(':');
  }

  /** The trust material; a missing or unreadable file throws IllegalArgumentException. */
  TrustMaterial trust() {
    TrustMaterial base;
    if (trustStore != null) {
      String password = trustStorePassword == null ? "" : trustStorePassword;
      String type = trustStoreType == null ? "PKCS12" : trustStoreType;
      base = TrustMaterial.keyStoreFile(trustStore, password.toCharArray(), type);
    } else {
      base = TrustMaterial.jvmDefault();
    }
    if (caFiles.isEmpty()) {
      return base;
    }
    return base.plus(TrustMaterial.pem(caFiles.toArray(Path[]::new)));
  }
}
