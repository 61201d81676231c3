package dev.tlsinspect.internal.network;

import dev.tlsinspect.Code;
import dev.tlsinspect.Finding;
import dev.tlsinspect.check.Check;
import dev.tlsinspect.check.CheckContext;
import dev.tlsinspect.check.CheckDescriptor;
import dev.tlsinspect.check.ClockReading;
import dev.tlsinspect.internal.cert.Certs;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CLOCK_SKEW: this machine's clock (the options' clock) against the reference the inspection read
 * before the checks (HTTP Date or SNTP). When a certificate of the chain is out of date by this
 * machine's clock but valid by the reference's, the skew is the root cause, and {@link #relate}
 * makes the certificate finding say so.
 */
public final class ClockSkewCheck implements Check {
  static final String CORRECTED_TIME = "correctedTime";
  public static final String EXPLAINS = "explains";
  private static final Set<Code> VALIDITY_CODES = Set.of(Code.CERT_EXPIRED, Code.CERT_NOT_YET_VALID,
      Code.INTERMEDIATE_EXPIRED);

  @Override
  public String id() {
    return "clock-skew";
  }

  @Override
  public CheckDescriptor descriptor() {
    return CheckDescriptor.builder("clock-skew")
        .summary("This machine's clock against the reference clock, and the certificate findings the skew explains")
        .codes(Code.CLOCK_SKEW)
        .reference("RFC 5280 §4.1.2.5")
        .reference("RFC 9110 §6.6.1")
        .reference("RFC 5905")
        .since("0.1.0")
        .needs(CheckDescriptor.Input.CLOCK_READING, CheckDescriptor.Input.PEER_CHAIN, CheckDescriptor.Input.OPTIONS)
        .build();
  }

  @Override
  public List<Finding> evaluate(CheckContext ctx) {
    Optional<ClockReading> reading = ctx.clockReading();
    if (reading.isEmpty() || reading.get().offset().isEmpty()) {
      return List.of();
    }
    ClockReading r = reading.get();
    Duration offset = r.offset().get();
    Duration threshold = ctx.options().clockSkewThreshold();
    if (offset.abs().compareTo(threshold) <= 0) {
      return List.of();
    }
    Instant now = ctx.now().truncatedTo(ChronoUnit.SECONDS);
    Instant corrected = now.plus(offset);
    List<String> explains = new ArrayList<>();
    List<X509Certificate> chain = ctx.observation().map(o -> o.peerChain()).orElse(List.of());
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate c = chain.get(i);
      if (!validAt(c, now) && validAt(c, corrected)) {
        explains.add((now.isAfter(c.getNotAfter().toInstant()) ? "expired " : "not yet valid ")
            + Certs.role(i, c) + " " + c.getSubjectX500Principal().getName());
      }
    }
    boolean ahead = offset.isNegative();
    String amount = describe(offset);
    Finding.Builder b = Finding.builder(Code.CLOCK_SKEW)
        .rootCause(!explains.isEmpty())
        .title("This machine's clock is " + amount + (ahead ? " ahead of " : " behind ") + r.source())
        .detail("This machine's clock said " + r.localTime() + " when " + r.source() + " said "
            + r.referenceTime().get() + ": a difference of " + amount + ", more than the threshold of "
            + describe(threshold) + "."
            + (explains.isEmpty() ? " Certificates, tokens and logs are judged by a wrong time."
                : " By the reference clock the certificate" + (explains.size() == 1 ? " is" : "s are")
                    + " valid; only this machine's clock makes " + String.join(" and ", explains)
                    + " look out of date."))
        .remediation("Synchronize this machine's clock: check that an NTP client runs and is synchronized "
            + "(timedatectl status, chronyc tracking, w32tm /query /status); in a container or VM, fix "
            + "the host's clock. Then run the inspection again."
            + (ahead ? "" : " A clock far behind is typical of a fresh VM or device without an RTC."))
        .evidence("localTime", r.localTime())
        .evidence("referenceTime", r.referenceTime().get())
        .evidence("offsetSeconds", offset.toSeconds())
        .evidence("source", r.source())
        .evidence("thresholdSeconds", threshold.toSeconds())
        .evidence(CORRECTED_TIME, corrected);
    if (!explains.isEmpty()) {
      b.evidence(EXPLAINS, explains);
    }
    return List.of(b.build());
  }

  private static boolean validAt(X509Certificate c, Instant t) {
    return !t.isBefore(c.getNotBefore().toInstant()) && !t.isAfter(c.getNotAfter().toInstant());
  }

  /**
   * Points the certificate-validity findings at the clock: those valid by the reference clock name
   * CLOCK_SKEW (and are not root causes themselves); when the reference agrees with this machine,
   * or could not be read, they say that too.
   */
  public static List<Finding> relate(List<Finding> findings, Optional<ClockReading> reading) {
    if (reading.isEmpty()) {
      return findings;
    }
    ClockReading r = reading.get();
    Optional<Finding> skew = findings.stream().filter(f -> f.code().equals(Code.CLOCK_SKEW)
        && f.evidence().get(CORRECTED_TIME) instanceof Instant).findFirst();
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (!VALIDITY_CODES.contains(f.code()) || !(f.evidence().get("notBefore") instanceof Instant nb)
          || !(f.evidence().get("notAfter") instanceof Instant na)) {
        out.add(f);
        continue;
      }
      Map<String, Object> evidence = new LinkedHashMap<>(f.evidence());
      String detail = f.detail();
      boolean root = f.rootCause();
      if (skew.isPresent()) {
        Instant corrected = (Instant) skew.get().evidence().get(CORRECTED_TIME);
        if (!corrected.isBefore(nb) && !corrected.isAfter(na)) {
          evidence.put("clockSkew", "valid by " + r.source() + " (" + corrected + "): see CLOCK_SKEW");
          detail = detail + " By " + r.source() + " it is " + corrected + ", when the certificate is "
              + "valid: this machine's clock is wrong (CLOCK_SKEW), not the certificate.";
          root = false;
        } else {
          evidence.put("clockSkew", "out of date by " + r.source() + " (" + corrected + ") as well");
        }
      } else if (r.problem().isPresent()) {
        evidence.put("clockCheck", r.source() + ": " + r.problem().get());
      } else {
        evidence.put("clockCheck", "this machine's clock agrees with " + r.source() + " within "
            + describe(r.offset().orElse(Duration.ZERO)));
      }
      out.add(new Finding(f.code(), f.severity(), root, f.title(), detail, f.remediation(), evidence));
    }
    return out;
  }

  static String describe(Duration offset) {
    Duration abs = offset.abs();
    String text = abs.toDays() > 0 ? abs.toDays() + " d " + abs.toHoursPart() + " h"
        : abs.toHours() > 0 ? abs.toHours() + " h " + abs.toMinutesPart() + " min"
        : abs.toMinutes() > 0 ? abs.toMinutes() + " min " + abs.toSecondsPart() + " s"
        : abs.toSeconds() + " s";
    return text;
  }
}
