package dev.tlsinspect.internal.protocol;

import dev.tlsinspect.ClientPrediction.Mismatch;
import dev.tlsinspect.ClientPrediction;
import dev.tlsinspect.ClientProfile;
import dev.tlsinspect.ClientProfiles;
import dev.tlsinspect.Code;
import dev.tlsinspect.Enumeration;
import dev.tlsinspect.Finding;
import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.internal.registry.JvmSettings;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Client compatibility from the enumeration: CLIENT_INCOMPATIBLE for each selected profile that
 * cannot connect, and for this JVM NO_COMMON_PROTOCOL / NO_COMMON_CIPHER, or
 * LOCAL_PROTOCOL_DISABLED / LOCAL_CIPHER_DISABLED when only {@code jdk.tls.disabledAlgorithms}
 * stands in the way. Silent without an enumeration. Not API.
 */
public final class ClientCompatibilityCheck implements Check {
  /** The evidence value that marks this JVM's predicted failures, kept as root causes. */
  public static final String PROFILE = "profile";

  @Override
  public String id() {
    return "client-compatibility";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("client-compatibility")
        .summary("Whether this JVM and the chosen client profiles share a version and a suite with the server")
        .codes(Code.NO_COMMON_PROTOCOL, Code.NO_COMMON_CIPHER, Code.LOCAL_PROTOCOL_DISABLED, Code.LOCAL_CIPHER_DISABLED, Code.CLIENT_INCOMPATIBLE)
        .reference("RFC 8446 §4.1.1")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.ENUMERATION, CheckDescriptor.Input.MAIN_HANDSHAKE, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  /**
   * The predictions for the profiles selected in the options, in the order selected.
   *
   * @param e the enumeration
   * @param options the options
   * @param seen the main observation, for the certificate message size
   * @return the predictions
   */
  public static List<ClientPrediction> predictions(Enumeration e, InspectOptions options,
      Optional<Observation> seen) {
    List<ClientPrediction> out = new ArrayList<>();
    for (String name : selected(options)) {
      ClientProfiles.named(name).ifPresent(p -> out.add(predict(e, p, seen)));
    }
    return out;
  }

  /** The selected profiles, {@code all} expanded: the named ones first, in the order named. */
  static List<String> selected(InspectOptions options) {
    Set<String> out = new LinkedHashSet<>();
    for (String name : options.clientProfiles()) {
      if (name.equals(ClientProfiles.ALL)) {
        out.addAll(ClientProfiles.names());
      } else {
        out.add(name);
      }
    }
    return List.copyOf(out);
  }

  /**
   * Drops the probe's own NO_COMMON_PROTOCOL / NO_COMMON_CIPHER (from its default offer's failed
   * handshake) when this check has explained, from the enumeration, why this JVM fails: the probe
   * is not the application's client, this JVM is.
   *
   * @param findings all findings of the inspection
   * @return the findings without the probe's duplicates
   */
  public static List<Finding> preferThisJvm(List<Finding> findings) {
    boolean explained = findings.stream().anyMatch(ClientCompatibilityCheck::aboutThisJvm);
    if (!explained) {
      return findings;
    }
    return findings.stream()
        .filter(f -> aboutThisJvm(f) || !(f.code().equals(Code.NO_COMMON_PROTOCOL)
            || f.code().equals(Code.NO_COMMON_CIPHER)))
        .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }

  private static boolean aboutThisJvm(Finding f) {
    return ClientProfiles.THIS_JVM.equals(f.evidence().get(PROFILE))
        && (f.code().equals(Code.NO_COMMON_PROTOCOL) || f.code().equals(Code.NO_COMMON_CIPHER)
            || f.code().equals(Code.LOCAL_PROTOCOL_DISABLED) || f.code().equals(Code.LOCAL_CIPHER_DISABLED));
  }

  private static ClientPrediction predict(Enumeration e, ClientProfile p, Optional<Observation> seen) {
    int size = seen.flatMap(o -> o.certificateMessageLength().isPresent()
        ? Optional.of(o.certificateMessageLength().getAsInt()) : Optional.<Integer>empty()).orElse(0);
    return ClientPrediction.of(e, p, List.of(), size);
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<Enumeration> maybe = ctx.enumeration();
    if (maybe.isEmpty() || maybe.get().acceptedVersions().isEmpty()) {
      return List.of();
    }
    Enumeration e = maybe.get();
    List<Finding> out = new ArrayList<>();
    thisJvm(out, e, ctx);
    for (String name : selected(ctx.options())) {
      if (name.equals(ClientProfiles.THIS_JVM)) {
        continue;
      }
      ClientProfile p = ClientProfiles.named(name).orElseThrow();
      ClientPrediction r = predict(e, p, ctx.observation());
      if (!r.compatible()) {
        // Judged by relevance: 'all' lists every profile, but a client nobody still supports
        // must not fail a healthy server unless the user named it.
        boolean named = ctx.options().clientProfiles().contains(name);
        boolean informational = p.obsolete().isPresent() && !named;
        Finding.Builder b = Finding.builder(Code.CLIENT_INCOMPATIBLE)
            .title(p.description() + " cannot connect" + (informational ? " (an obsolete client)" : ""))
            .detail(ctx.target() + ": " + p.name() + " (" + p.description() + ") would fail: "
                + r.reason() + "." + p.obsolete().map(why -> " The client is obsolete: " + why
                    + (informational ? "; this is for information, as it was not named." : ".")).orElse(""))
            .remediation(remediation(r.mismatch().orElseThrow(), p));
        if (informational) {
          b.severity(dev.tlsinspect.Severity.INFO);
        }
        p.obsolete().ifPresent(why -> b.evidence("obsolete", why));
        out.add(b
            .evidence(PROFILE, p.name())
            .evidence("reason", r.mismatch().orElseThrow().name())
            .evidence("detail", r.reason())
            .evidence("clientVersions", names(p.versions()))
            .evidence("serverVersions", names(e.acceptedVersions()))
            .evidence("serverCipherSuites", serverSuites(e))
            .build());
      }
    }
    return out;
  }

  private static void thisJvm(List<Finding> out, Enumeration e, CheckContext ctx) {
    ClientProfile jvm = ClientProfiles.thisJvm();
    if (jvm.versions().isEmpty()) {
      return;
    }
    ClientPrediction r = predict(e, jvm, ctx.observation());
    if (r.compatible()) {
      return;
    }
    Mismatch m = r.mismatch().orElseThrow();
    if (m != Mismatch.NO_COMMON_VERSION && m != Mismatch.NO_COMMON_CIPHER) {
      // Certificate size has its own check (CERT_TOO_LARGE); groups are not enumerated yet.
      return;
    }
    String property = LocalPolicy.disabledAlgorithms();
    ClientProfile unrestricted = LocalPolicy.withoutPolicy(jvm, property);
    ClientPrediction without = predict(e, unrestricted, ctx.observation());
    boolean version = m == Mismatch.NO_COMMON_VERSION;
    String clientProtocols = JvmSettings.read("jdk.tls.client.protocols").orElse(null);
    Finding.Builder b;
    if (without.compatible()) {
      TlsVersion v = without.version().orElseThrow();
      Set<String> entries = new LinkedHashSet<>();
      List<String> blocked = new ArrayList<>();
      if (version) {
        for (TlsVersion sv : e.acceptedVersions()) {
          String entry = LocalPolicy.disabling(property, sv);
          if (entry != null) {
            entries.add(entry);
            blocked.add(sv.name());
          }
        }
      } else {
        for (CipherSuite s : e.suites(r.version().orElseThrow())) {
          String entry = LocalPolicy.disabling(property, s);
          if (entry != null) {
            entries.add(entry);
            blocked.add(s.name());
          }
        }
      }
      String what = version ? "only speaks " + String.join(", ", names(e.acceptedVersions()))
          : "only accepts " + String.join(", ", blocked) + " with " + v;
      b = Finding.builder(version ? Code.LOCAL_PROTOCOL_DISABLED : Code.LOCAL_CIPHER_DISABLED)
          .title(version ? "This JVM disables the only protocol versions the server speaks"
              : "This JVM disables the only cipher suites the server accepts")
          .detail("The server " + what + "; this JVM disables "
              + (blocked.size() == 1 ? "it" : "them") + " in jdk.tls.disabledAlgorithms ("
              + String.join(", ", entries) + "), so its handshakes would fail. Without that policy it "
              + "would connect with " + v + without.cipherSuite().map(s -> " and " + s).orElse("") + ".")
          .remediation("Fix the server: enable TLS 1.2 and TLS 1.3 with ECDHE and AES-GCM or "
              + "CHACHA20-POLY1305 suites. As a stopgap only, remove " + String.join(", ", entries)
              + " from jdk.tls.disabledAlgorithms in a java.security override passed with "
              + "-Djava.security.properties=<file>, knowing that it weakens every connection this JVM "
              + "makes.")
          .evidence(PROFILE, ClientProfiles.THIS_JVM)
          .evidence(version ? "disabledVersions" : "disabledCipherSuites", blocked)
          .evidence("disabledBy", List.copyOf(entries))
          .evidence("disabledAlgorithms", property)
          .evidence("property", "jdk.tls.disabledAlgorithms");
    } else {
      b = Finding.builder(version ? Code.NO_COMMON_PROTOCOL : Code.NO_COMMON_CIPHER)
          .title(version ? "This JVM has no protocol version in common with the server"
              : "This JVM has no cipher suite in common with the server")
          .detail("This JVM's handshakes would fail: " + r.reason() + "."
              + (clientProtocols != null ? " jdk.tls.client.protocols is set to " + clientProtocols + "." : ""))
          .remediation(version
              ? "Enable TLS 1.2 and TLS 1.3 on the server; if the JVM limits its versions with "
                  + "jdk.tls.client.protocols or https.protocols, include a version the server speaks."
              : "Configure the server to accept modern suites (ECDHE with AES-GCM or "
                  + "CHACHA20-POLY1305, TLS 1.3 suites), which every current JVM offers.")
          .evidence(PROFILE, ClientProfiles.THIS_JVM);
      if (clientProtocols != null) {
        b.evidence("jdk.tls.client.protocols", clientProtocols);
      }
    }
    b.rootCause(true)
        .evidence("clientVersions", names(jvm.versions()))
        .evidence("serverVersions", names(e.acceptedVersions()))
        .evidence("serverCipherSuites", serverSuites(e));
    if (!version) {
      b.evidence("clientCipherSuites", jvm.suitesFor(r.version().orElseThrow()).stream()
          .map(CipherSuite::name).toList());
    }
    out.add(b.build());
  }

  private static String remediation(Mismatch m, ClientProfile p) {
    return switch (m) {
      case NO_COMMON_VERSION -> "If " + p.name() + " clients must be served, enable a version they "
          + "speak (" + String.join(", ", names(p.versions())) + ") on the server; otherwise "
          + "upgrade those clients.";
      case NO_COMMON_CIPHER -> "If " + p.name() + " clients must be served, add one of their suites "
          + "(for example " + p.cipherSuites().get(0) + ") to the server; otherwise upgrade them.";
      case NO_COMMON_GROUP -> "Enable a named group the client offers (" + p.namedGroups() + ").";
      case CERTIFICATE_TOO_LARGE -> "Send a shorter chain: drop the root and unneeded intermediates, "
          + "or use fewer subject alternative names.";
    };
  }

  private static List<String> serverSuites(Enumeration e) {
    Set<String> out = new LinkedHashSet<>();
    for (int i = e.acceptedVersions().size() - 1; i >= 0; i--) {
      e.suites(e.acceptedVersions().get(i)).forEach(s -> out.add(s.name()));
    }
    return List.copyOf(out);
  }

  private static List<String> names(List<TlsVersion> versions) {
    return versions.stream().map(TlsVersion::name).toList();
  }
}
