package dev.tlsinspect;

import java.util.Locale;
import java.util.Objects;

/**
 * A plaintext protocol that upgrades its connection to TLS in-band (STARTTLS and its relatives):
 * the probe speaks the protocol's plaintext opening, asks for TLS, and only then starts the
 * handshake. A closed set the library implements, hence an enum.
 *
 * <pre>{@code
 * Target.builder("mail.example.com", 587).starttls(Starttls.SMTP).build();
 * }</pre>
 *
 * @since 0.1.0
 */
public enum Starttls {
  /** SMTP (RFC 3207): EHLO, the STARTTLS keyword in its reply, then STARTTLS; port 587 (25 between servers). */
  SMTP(587),
  /** IMAP (RFC 3501): CAPABILITY must list STARTTLS, then STARTTLS; port 143. */
  IMAP(143),
  /** POP3 (RFC 2595): CAPA must list STLS, then STLS; port 110. */
  POP3(110),
  /** FTP (RFC 4217): AUTH TLS; port 21. */
  FTP(21),
  /** LDAP (RFC 4511): the StartTLS extended operation 1.3.6.1.4.1.1466.20037; port 389. */
  LDAP(389),
  /** PostgreSQL: the SSLRequest message, answered with 'S'; port 5432. */
  POSTGRES(5432),
  /** MySQL and MariaDB: the server's handshake must have CLIENT_SSL, then an SSL request; port 3306. */
  MYSQL(3306),
  /** XMPP client-to-server (RFC 6120): the stream features must offer starttls, then proceed; port 5222. */
  XMPP(5222);

  private final int defaultPort;

  Starttls(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /**
   * The port the protocol usually listens on for STARTTLS.
   *
   * @return the port, for example 587 for SMTP submission
   * @since 0.1.0
   */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * The protocol with this name, ignoring case: {@code smtp}, {@code imap}, {@code pop3},
   * {@code ftp}, {@code ldap}, {@code postgres} (or {@code postgresql}), {@code mysql},
   * {@code xmpp}.
   *
   * @param name the name
   * @return the protocol
   * @throws IllegalArgumentException when the name is none of these
   * @since 0.1.0
   */
  public static Starttls parse(String name) {
    Objects.requireNonNull(name, "name");
    String n = name.trim().toUpperCase(Locale.ROOT);
    if (n.equals("POSTGRESQL")) {
      return POSTGRES;
    }
    for (Starttls s : values()) {
      if (s.name().equals(n)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown STARTTLS protocol '" + name.trim()
        + "': use smtp, imap, pop3, ftp, ldap, postgres, mysql or xmpp");
  }
}
