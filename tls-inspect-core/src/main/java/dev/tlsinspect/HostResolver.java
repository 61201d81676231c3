package dev.tlsinspect;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses. The default uses the JVM's resolver; tests and
 * applications with their own DNS can supply another.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface HostResolver {
  /**
   * Resolves a host name.
   *
   * @param host the host name or IP literal
   * @return the addresses, at least one
   * @throws UnknownHostException when the name does not resolve
   */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /**
   * The JVM's resolver ({@link InetAddress#getAllByName(String)}).
   *
   * @return the system resolver
   * @since 0.1.0
   */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
