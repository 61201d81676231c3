package dev.tlsinspect.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code tls-inspect.*} properties.
 *
 * <pre>
 * tls-inspect.targets[0].host=payments.internal
 * tls-inspect.targets[0].port=443
 * tls-inspect.targets[0].trust-bundle=internal-ca
 * tls-inspect.targets[1].host=mail.internal
 * tls-inspect.targets[1].port=587
 * tls-inspect.targets[1].starttls=smtp
 * tls-inspect.refresh-interval=5m
 * tls-inspect.include-in-readiness=true
 * </pre>
 *
 * @since 0.1.0
 */
@ConfigurationProperties("tls-inspect")
public class TlsInspectProperties {
  /** Whether tls-inspect inspects the targets and contributes health, meters and an endpoint. */
  private boolean enabled = true;

  /** Time budget of one inspection of one target. */
  private Duration budget = Duration.ofSeconds(10);

  /** Time between two scheduled inspections of the targets; health and meters read the last one. */
  private Duration refreshInterval = Duration.ofMinutes(5);

  /**
   * A certificate that expires within this window makes its target OUT_OF_SERVICE (a bundle's
   * store likewise).
   */
  private Duration criticalWindow = Duration.ofDays(7);

  /** Whether the readiness health group includes the {@code tls} contributor. */
  private boolean includeInReadiness = false;

  /** Whether the application refuses to start when a target is not healthy at startup. */
  private boolean failOnStartup = false;

  /** Whether the application's SSL bundles (spring.ssl.bundle.*) are checked under tls/ssl-bundles. */
  private boolean checkSslBundles = true;

  /** The endpoints to inspect. */
  private List<Target> targets = new ArrayList<>();

  /**
   * Whether tls-inspect is enabled.
   *
   * @return whether enabled
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * Enables or disables tls-inspect.
   *
   * @param enabled whether enabled
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * The budget of one inspection.
   *
   * @return the budget
   */
  public Duration getBudget() {
    return budget;
  }

  /**
   * Sets the budget of one inspection.
   *
   * @param budget the budget
   */
  public void setBudget(Duration budget) {
    this.budget = budget;
  }

  /**
   * The time between scheduled inspections.
   *
   * @return the interval
   */
  public Duration getRefreshInterval() {
    return refreshInterval;
  }

  /**
   * Sets the time between scheduled inspections.
   *
   * @param refreshInterval the interval
   */
  public void setRefreshInterval(Duration refreshInterval) {
    this.refreshInterval = refreshInterval;
  }

  /**
   * The critical expiry window.
   *
   * @return the window
   */
  public Duration getCriticalWindow() {
    return criticalWindow;
  }

  /**
   * Sets the critical expiry window.
   *
   * @param criticalWindow the window
   */
  public void setCriticalWindow(Duration criticalWindow) {
    this.criticalWindow = criticalWindow;
  }

  /**
   * Whether the readiness group includes {@code tls}.
   *
   * @return whether included
   */
  public boolean isIncludeInReadiness() {
    return includeInReadiness;
  }

  /**
   * Sets whether the readiness group includes {@code tls}.
   *
   * @param includeInReadiness whether included
   */
  public void setIncludeInReadiness(boolean includeInReadiness) {
    this.includeInReadiness = includeInReadiness;
  }

  /**
   * Whether the startup gate is on.
   *
   * @return whether on
   */
  public boolean isFailOnStartup() {
    return failOnStartup;
  }

  /**
   * Turns the startup gate on or off.
   *
   * @param failOnStartup whether on
   */
  public void setFailOnStartup(boolean failOnStartup) {
    this.failOnStartup = failOnStartup;
  }

  /**
   * Whether the SSL bundles are checked.
   *
   * @return whether checked
   */
  public boolean isCheckSslBundles() {
    return checkSslBundles;
  }

  /**
   * Sets whether the SSL bundles are checked.
   *
   * @param checkSslBundles whether checked
   */
  public void setCheckSslBundles(boolean checkSslBundles) {
    this.checkSslBundles = checkSslBundles;
  }

  /**
   * The targets.
   *
   * @return the targets, mutable for binding
   */
  public List<Target> getTargets() {
    return targets;
  }

  /**
   * Sets the targets.
   *
   * @param targets the targets
   */
  public void setTargets(List<Target> targets) {
    this.targets = targets;
  }

  /** How much of the inspection a target gets. */
  public enum Mode {
    /** One handshake plus the certificate checks: the health-check mode. */
    QUICK,
    /** Every check, including the enumeration of versions and cipher suites. */
    FULL
  }

  /**
   * One endpoint to inspect: {@code tls-inspect.targets[i].*}.
   *
   * @since 0.1.0
   */
  public static class Target {
    /** Name of the health component (tls/NAME) and of the endpoint entry; default HOST-PORT. */
    private String name;

    /** Host name or IP address of the endpoint. */
    private String host;

    /** TCP port of the endpoint. */
    private int port = 443;

    /** STARTTLS protocol (smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql, ...); none for direct TLS. */
    private String starttls;

    /** Server name to send in SNI, when it differs from the host. */
    private String sni;

    /**
     * Name of an SSL bundle (spring.ssl.bundle.*) whose trust store the inspection trusts and
     * whose key store, if any, is the client certificate; default the JVM's trust store.
     */
    private String trustBundle;

    /** Proxy to connect through, as a URL: http://host:port or socks5://host:port. */
    private String proxy;

    /** A leaf certificate that expires within this window makes the target DEGRADED (still UP). */
    private Duration expiryWarning = Duration.ofDays(30);

    /** Quick (one handshake plus certificate checks) or full inspection. */
    private Mode mode = Mode.QUICK;

    /**
     * The name.
     *
     * @return the name, or null for the default
     */
    public String getName() {
      return name;
    }

    /**
     * Sets the name.
     *
     * @param name the name
     */
    public void setName(String name) {
      this.name = name;
    }

    /**
     * The host.
     *
     * @return the host
     */
    public String getHost() {
      return host;
    }

    /**
     * Sets the host.
     *
     * @param host the host
     */
    public void setHost(String host) {
      this.host = host;
    }

    /**
     * The port.
     *
     * @return the port
     */
    public int getPort() {
      return port;
    }

    /**
     * Sets the port.
     *
     * @param port the port
     */
    public void setPort(int port) {
      this.port = port;
    }

    /**
     * The STARTTLS protocol.
     *
     * @return the protocol, or null
     */
    public String getStarttls() {
      return starttls;
    }

    /**
     * Sets the STARTTLS protocol.
     *
     * @param starttls the protocol
     */
    public void setStarttls(String starttls) {
      this.starttls = starttls;
    }

    /**
     * The SNI override.
     *
     * @return the server name, or null
     */
    public String getSni() {
      return sni;
    }

    /**
     * Sets the SNI override.
     *
     * @param sni the server name
     */
    public void setSni(String sni) {
      this.sni = sni;
    }

    /**
     * The trust bundle's name.
     *
     * @return the name, or null
     */
    public String getTrustBundle() {
      return trustBundle;
    }

    /**
     * Sets the trust bundle's name.
     *
     * @param trustBundle the name
     */
    public void setTrustBundle(String trustBundle) {
      this.trustBundle = trustBundle;
    }

    /**
     * The proxy URL.
     *
     * @return the URL, or null
     */
    public String getProxy() {
      return proxy;
    }

    /**
     * Sets the proxy URL.
     *
     * @param proxy the URL
     */
    public void setProxy(String proxy) {
      this.proxy = proxy;
    }

    /**
     * The expiry warning window.
     *
     * @return the window
     */
    public Duration getExpiryWarning() {
      return expiryWarning;
    }

    /**
     * Sets the expiry warning window.
     *
     * @param expiryWarning the window
     */
    public void setExpiryWarning(Duration expiryWarning) {
      this.expiryWarning = expiryWarning;
    }

    /**
     * The mode.
     *
     * @return the mode
     */
    public Mode getMode() {
      return mode;
    }

    /**
     * Sets the mode.
     *
     * @param mode the mode
     */
    public void setMode(Mode mode) {
      this.mode = mode;
    }
  }
}
