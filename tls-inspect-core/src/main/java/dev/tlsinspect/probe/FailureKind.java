package dev.tlsinspect.probe;

/**
 * Why a probe's handshake did not complete. Providers classify every failure into one of these;
 * checks turn them into findings.
 *
 * @since 0.1.0
 */
public enum FailureKind {
  /** The host name did not resolve. */
  DNS_RESOLUTION_FAILED,
  /** The TCP connect was refused: nothing listens there. */
  CONNECTION_REFUSED,
  /** The TCP connect got no answer in time: dropped by a firewall, or the host is down. */
  CONNECT_TIMEOUT,
  /** No route to the host or network. */
  HOST_UNREACHABLE,
  /** TCP connected, but the TLS handshake did not finish in time (silent or slow peer). */
  HANDSHAKE_TIMEOUT,
  /** The peer reset or closed the connection during the handshake, without an alert. */
  CONNECTION_RESET,
  /** The peer answered in another protocol (HTTP, SMTP, SSH, ...) or with bytes that are not TLS. */
  NOT_TLS,
  /** The peer answered with malformed or contradictory TLS. */
  PROTOCOL_ERROR,
  /** The peer ended the handshake with a fatal alert. */
  ALERT_RECEIVED,
  /** This side rejected the peer's certificate (trust, validity, name, key usage, algorithms). */
  CERTIFICATE_REJECTED,
  /** This side's own configuration or policy forbids every option (versions, suites). */
  LOCAL_POLICY,
  /**
   * The proxy refused or failed the tunnel: an HTTP status other than 2xx to CONNECT, or a SOCKS5
   * refusal. The message holds the proxy's answer ({@code 407 Proxy Authentication Required},
   * {@code SOCKS5 reply 0x05 connection refused}).
   */
  PROXY_FAILED,
  /**
   * The plaintext protocol did not offer STARTTLS, or refused it when asked. The message holds
   * what the server said.
   */
  STARTTLS_UNAVAILABLE,
  /** Something else; the failure's message says what. */
  OTHER
}
