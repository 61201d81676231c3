package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.Enumeration;
import dev.tlsinspect.internal.registry.CipherSuites;
import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.DhParameters;
import dev.tlsinspect.probe.FailureKind;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.NamedGroup;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * Versions and cipher suites by elimination (sslscan, testssl -e, TLS-Scanner):
 *  1. per version, offer that version alone with every candidate suite, stopping after the
 *     ServerHello: a ServerHello with that version means "accepted";
 *  2. per accepted version, offer the candidates, note the suite the server picks, remove it and
 *     offer the rest again until the server refuses. With a server that enforces its order, the
 *     sequence is that order. ClientHellos carry at most 128 suites (servers choke on bigger
 *     ones); when more than one chunk had accepted suites, one more elimination over just those
 *     gives the order across chunks;
 *  3. offer the accepted suites reversed: a server that picks its first again enforces its order.
 * Then, with what was accepted:
 *  4. SSL 2.0: one hand-built CLIENT-HELLO (the provider answers a TLS_2_0-only offer, or skips);
 *  5. named groups by elimination: TLS 1.3 with the accepted suites, every group offered (a key
 *     share for the first; the server answers with a HelloRetryRequest for another), then TLS 1.2
 *     with the accepted ECDHE suites and the elliptic curves (the deprecated secp224r1 and
 *     secp192r1 included: some servers have nothing else), and with the accepted DHE suites and
 *     the RFC 7919 ffdhe groups; a serverHelloOnly offer that names groups stops after the
 *     ServerKeyExchange in TLS 1.2, so the curve or group is known;
 *  6. DH parameters: the best version up to TLS 1.2 with its accepted DHE suites and no ffdhe
 *     group offered, so the server sends the group it gives to clients without RFC 7919;
 *  7. export DHE: when the server accepted an export DHE suite, which no provider can complete,
 *     one hand-built ClientHello with those suites (ExportDh) reads the group it really sends,
 *     instead of assuming the 512-bit export limit. One connection at most, and only here, so
 *     only in full mode.
 * Versions are enumerated concurrently, with at most `perHostLimit` connections open to the host
 * at once, and every probe is bounded by the inspection's deadline.
 */
/** Enumerates versions and suites with a provider that makes offers. Not API. */
public final class Enumerator {
  /** The most suites in one ClientHello. */
  static final int CHUNK = 128;
  /** Default limit of concurrent connections to one host. */
  public static final int DEFAULT_PER_HOST_LIMIT = 4;
  static final List<TlsVersion> VERSIONS = List.of(TlsVersion.SSL_3_0, TlsVersion.TLS_1_0,
      TlsVersion.TLS_1_1, TlsVersion.TLS_1_2, TlsVersion.TLS_1_3);
  /** The groups offered when enumerating, TLS 1.3 order of a modern client. */
  static final List<NamedGroup> GROUPS = List.of(NamedGroup.X25519_MLKEM768,
      NamedGroup.SECP256R1_MLKEM768, NamedGroup.SECP384R1_MLKEM1024, NamedGroup.X25519,
      NamedGroup.X448, NamedGroup.SECP256R1, NamedGroup.SECP384R1, NamedGroup.SECP521R1,
      NamedGroup.FFDHE2048, NamedGroup.FFDHE3072, NamedGroup.FFDHE4096, NamedGroup.FFDHE6144,
      NamedGroup.FFDHE8192);
  /**
   * The curves offered in TLS 1.2 besides the modern ones: deprecated (RFC 8422), yet the only
   * curves of some servers, which would otherwise look like servers without ECDHE.
   */
  static final List<NamedGroup> LEGACY_CURVES = List.of(NamedGroup.SECP224R1, NamedGroup.SECP192R1);
  /** The RFC 7919 groups, which a TLS 1.2 server may negotiate for DHE (GnuTLS does). */
  static final List<NamedGroup> FFDHE = List.of(NamedGroup.FFDHE2048, NamedGroup.FFDHE3072,
      NamedGroup.FFDHE4096, NamedGroup.FFDHE6144, NamedGroup.FFDHE8192);
  private static final Logger LOG = LoggerFactory.getLogger(Enumerator.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final HandshakeProbe probe;
  private final ProbeRequest base;
  private final Semaphore permits;
  private final AtomicInteger connections = new AtomicInteger();
  private final List<String> incomplete = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param probe a provider that makes offers
   * @param base the request of the main probe: target, address and deadline
   * @param perHostLimit the most connections open at once
   */
  public Enumerator(HandshakeProbe probe, ProbeRequest base, int perHostLimit) {
    if (perHostLimit < 1) {
      throw new IllegalArgumentException("perHostLimit must be at least 1: " + perHostLimit);
    }
    this.probe = probe;
    this.base = base;
    this.permits = new Semaphore(perHostLimit);
  }

  /**
   * Runs the enumeration.
   *
   * @return what was found, with the reasons for any gap
   */
  public Enumeration run() {
    ExecutorService pool = Executors.newFixedThreadPool(VERSIONS.size() + 1, r -> {
      Thread t = new Thread(r, "tls-inspect-enumerate-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    Map<TlsVersion, Future<PerVersion>> futures = new LinkedHashMap<>();
    try {
      for (TlsVersion v : VERSIONS) {
        futures.put(v, pool.submit(() -> version(v)));
      }
      Future<Boolean> sslv2 = pool.submit(this::sslv2);
      List<TlsVersion> accepted = new ArrayList<>();
      Map<TlsVersion, List<CipherSuite>> suites = new LinkedHashMap<>();
      Map<TlsVersion, Boolean> order = new LinkedHashMap<>();
      for (Map.Entry<TlsVersion, Future<PerVersion>> e : futures.entrySet()) {
        PerVersion r = await(e.getKey().name(), e.getValue());
        if (r != null && r.accepted) {
          accepted.add(e.getKey());
          suites.put(e.getKey(), r.suites);
          r.serverOrder.ifPresent(o -> order.put(e.getKey(), o));
        }
      }
      List<TlsVersion> tested = new ArrayList<>(VERSIONS);
      Boolean v2 = await(TlsVersion.SSL_2_0.name(), sslv2);
      if (v2 != null) {
        tested.add(0, TlsVersion.SSL_2_0);
        if (v2) {
          accepted.add(0, TlsVersion.SSL_2_0);
          suites.put(TlsVersion.SSL_2_0, List.of());
        }
      }
      Future<List<NamedGroup>> groups13 = pool.submit(() -> accepted.contains(TlsVersion.TLS_1_3)
          ? eliminateGroups(TlsVersion.TLS_1_3, suites.get(TlsVersion.TLS_1_3), GROUPS) : List.of());
      List<CipherSuite> ecdhe = ofKeyExchange(suites.get(TlsVersion.TLS_1_2), "ECDHE");
      List<NamedGroup> curves = new ArrayList<>(
          GROUPS.stream().filter(g -> !g.postQuantum() && g.code() < 0x0100).toList());
      curves.addAll(LEGACY_CURVES);
      Future<List<NamedGroup>> groups12 = pool.submit(() -> ecdhe.isEmpty() ? List.of()
          : eliminateGroups(TlsVersion.TLS_1_2, ecdhe, curves));
      // RFC 7919 in TLS 1.2: DHE suites with only the ffdhe groups; a server that does not
      // negotiate sends its own group, which names none of them, and the elimination stops.
      List<CipherSuite> dheSuites = ofKeyExchange(suites.get(TlsVersion.TLS_1_2), "DHE");
      Future<List<NamedGroup>> ffdhe12 = pool.submit(() -> dheSuites.isEmpty() ? List.of()
          : eliminateGroups(TlsVersion.TLS_1_2, dheSuites, FFDHE));
      Future<Optional<DhParameters>> dh = pool.submit(() -> dhParameters(accepted, suites));
      Future<Optional<DhParameters>> exportDh = pool.submit(() -> exportDhParameters(accepted, suites));
      List<NamedGroup> groups = new ArrayList<>();
      List<NamedGroup> g13 = await("groups", groups13);
      List<NamedGroup> g12 = await("groups", groups12);
      List<NamedGroup> ff12 = await("groups", ffdhe12);
      for (List<NamedGroup> some : java.util.Arrays.asList(g13, g12, ff12)) {
        if (some != null) {
          some.stream().filter(g -> !groups.contains(g)).forEach(groups::add);
        }
      }
      Optional<DhParameters> params = await("DH parameters", dh);
      Optional<DhParameters> exportParams = await("export DH parameters", exportDh);
      return new Enumeration(tested, accepted, suites, order, groups,
          params == null ? Optional.empty() : params, connections.get(), incomplete,
          exportParams == null ? Optional.empty() : exportParams);
    } finally {
      pool.shutdownNow();
    }
  }

  private <T> T await(String v, Future<T> f) {
    try {
      // The probes themselves end by the deadline; the margin covers their last steps.
      return f.get(base.deadline().remaining().toMillis() + 2_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      incomplete.add(v + ": no result within the deadline");
    } catch (ExecutionException e) {
      // A provider's stack overflow is its bug and costs only this version; any other Error
      // (OutOfMemoryError, an assertion) is the JVM's, and the caller must see it.
      if (e.getCause() instanceof Error error && !(error instanceof StackOverflowError)) {
        throw error;
      }
      LOG.debug("enumerating {} failed", v, e.getCause());
      incomplete.add(v + ": " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      incomplete.add(v + ": interrupted");
    }
    return null;
  }

  /**
   * Every suite worth offering for a version: valid there, not a signalling value, not
   * {@code TLS_NULL_WITH_NULL_NULL}. Forward-secret AEAD suites come first, so that what a modern
   * server accepts usually fits in the first ClientHello; then registry order.
   */
  static List<CipherSuite> candidates(TlsVersion v) {
    List<CipherSuites.Info> out = new ArrayList<>();
    for (CipherSuites.Info i : CipherSuites.all()) {
      if (i.code() != 0 && i.validFor(v.code())) {
        out.add(i);
      }
    }
    out.sort(java.util.Comparator.comparingInt(Enumerator::rank));
    return out.stream().map(i -> CipherSuite.of(i.code())).toList();
  }

  private static int rank(CipherSuites.Info i) {
    boolean aead = switch (i.mode()) {
      case "GCM", "CCM", "CCM_8", "POLY1305", "AEAD", "MGM" -> true;
      default -> false;
    };
    return (i.forwardSecrecy() ? 0 : 2) + (aead ? 0 : 1);
  }

  private record PerVersion(boolean accepted, List<CipherSuite> suites, Optional<Boolean> serverOrder) {}

  private static final PerVersion REFUSED = new PerVersion(false, List.of(), Optional.empty());

  private PerVersion version(TlsVersion v) {
    List<CipherSuite> candidates = candidates(v);
    List<List<CipherSuite>> chunks = Speed.chunks(candidates);
    // 1. Accepted at all? The first ServerHello is also the first step of the elimination.
    int firstChunk = -1;
    CipherSuite firstPick = null;
    for (int i = 0; i < chunks.size() && firstChunk < 0; i++) {
      Optional<CipherSuite> pick = offer(v, chunks.get(i)).flatMap(Observation::cipherSuite);
      if (pick.isPresent()) {
        firstChunk = i;
        firstPick = pick.get();
      } else if (stopped()) {
        return REFUSED;
      }
    }
    if (firstChunk < 0) {
      return REFUSED;
    }
    // 2. Elimination, chunk by chunk (see Speed for what is not asked twice).
    List<CipherSuite> found = Speed.eliminateChunks(chunks, firstChunk, firstPick,
        (offered, known) -> eliminate(v, offered, known));
    if (Speed.chunksWithSuites(chunks, found) > 1 && found.size() <= CHUNK) {
      found = Speed.inCandidateOrder(found, candidates);
      List<CipherSuite> ordered = eliminate(v, found, null);
      if (ordered.size() == found.size()) {
        found = ordered;
      }
    }
    // 3. Does the server enforce its order?
    Optional<Boolean> serverOrder = Optional.empty();
    if (found.size() >= 2) {
      List<CipherSuite> reversed = new ArrayList<>(found);
      Collections.reverse(reversed);
      Optional<CipherSuite> pick = offer(v, reversed).flatMap(Observation::cipherSuite);
      if (pick.isPresent()) {
        if (pick.get().code() == found.get(0).code()) {
          serverOrder = Optional.of(true);
        } else if (pick.get().code() == reversed.get(0).code()) {
          serverOrder = Optional.of(false);
        }
      }
    }
    return new PerVersion(true, List.copyOf(found), serverOrder);
  }

  /**
   * The chain a TLS 1.2 server sends for each key type it authenticates with, when it accepts
   * suites of both RSA and ECDSA: one handshake per type offering only that type's suites, as a
   * client that supports only one type would. A server with one certificate gives an empty map
   * (no connection is made).
   *
   * @param e the enumeration
   * @return per key type ({@code RSA}, {@code ECDSA}), the chain as sent
   */
  public Map<String, List<java.security.cert.X509Certificate>> chainsByKeyType(Enumeration e) {
    Map<String, List<CipherSuite>> byAuthentication = new LinkedHashMap<>();
    for (CipherSuite s : e.suites(TlsVersion.TLS_1_2)) {
      CipherSuites.find(s.code()).map(CipherSuites.Info::authentication)
          .filter(a -> a.equals("RSA") || a.equals("ECDSA"))
          .ifPresent(a -> byAuthentication.computeIfAbsent(a, k -> new ArrayList<>()).add(s));
    }
    if (byAuthentication.size() < 2) {
      return Map.of();
    }
    Map<String, List<java.security.cert.X509Certificate>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<CipherSuite>> entry : byAuthentication.entrySet()) {
      ClientOffer offer = ClientOffer.builder().versions(TlsVersion.TLS_1_2)
          .cipherSuites(entry.getValue()).build();
      send(TlsVersion.TLS_1_2, offer).flatMap(ProbeOutcome::observation)
          .map(Observation::peerChain).filter(c -> !c.isEmpty())
          .ifPresent(c -> out.put(entry.getKey(), c));
    }
    return out;
  }

  /** SSL 2.0: {@code null} when the provider cannot tell (skipped or unclear). */
  private Boolean sslv2() {
    ClientOffer offer = ClientOffer.builder().versions(TlsVersion.SSL_2_0).serverHelloOnly(true).build();
    Optional<ProbeOutcome> outcome = send(TlsVersion.SSL_2_0, offer);
    if (outcome.isEmpty() || outcome.get() instanceof ProbeOutcome.Skipped) {
      return null;
    }
    return outcome.get() instanceof ProbeOutcome.Completed c
        && c.seen().version().filter(TlsVersion.SSL_2_0::equals).isPresent();
  }

  private List<NamedGroup> eliminateGroups(TlsVersion v, List<CipherSuite> suites, List<NamedGroup> offered) {
    List<NamedGroup> left = new ArrayList<>(offered);
    List<NamedGroup> found = new ArrayList<>();
    while (!left.isEmpty()) {
      ClientOffer offer = ClientOffer.builder().versions(v).cipherSuites(suites == null ? List.of() : suites)
          .namedGroups(left).serverHelloOnly(true).build();
      Optional<NamedGroup> pick = send(v, offer)
          .filter(o -> o instanceof ProbeOutcome.Completed)
          .flatMap(ProbeOutcome::observation)
          .filter(o -> o.version().filter(v::equals).isPresent())
          .flatMap(Observation::namedGroup);
      if (pick.isEmpty()) {
        break;
      }
      int code = pick.get().code();
      if (!left.removeIf(g -> g.code() == code)) {
        note(v + ": the server chose group " + pick.get() + ", which was not offered");
        break;
      }
      found.add(NamedGroup.of(code));
    }
    return found;
  }

  private Optional<DhParameters> dhParameters(List<TlsVersion> accepted, Map<TlsVersion, List<CipherSuite>> suites) {
    for (TlsVersion v : List.of(TlsVersion.TLS_1_2, TlsVersion.TLS_1_1, TlsVersion.TLS_1_0, TlsVersion.SSL_3_0)) {
      List<CipherSuite> dhe = ofKeyExchange(suites.get(v), "DHE");
      if (!accepted.contains(v) || dhe.isEmpty()) {
        continue;
      }
      // Only elliptic curves: a server with RFC 7919 support would otherwise answer with ffdhe.
      ClientOffer offer = ClientOffer.builder().versions(v).cipherSuites(dhe)
          .namedGroups(NamedGroup.X25519, NamedGroup.SECP256R1).serverHelloOnly(true).build();
      return send(v, offer).flatMap(ProbeOutcome::observation).flatMap(Observation::dhParameters);
    }
    return Optional.empty();
  }

  /** The group of the accepted export DHE suites, read on one raw connection; empty when none. */
  private Optional<DhParameters> exportDhParameters(List<TlsVersion> accepted,
      Map<TlsVersion, List<CipherSuite>> suites) {
    for (TlsVersion v : List.of(TlsVersion.TLS_1_0, TlsVersion.SSL_3_0, TlsVersion.TLS_1_1, TlsVersion.TLS_1_2)) {
      List<CipherSuite> export = ofKeyExchange(suites.get(v), "DHE_EXPORT");
      if (!accepted.contains(v) || export.isEmpty()) {
        continue;
      }
      // The first version with export DHE suites decides: one connection in all.
      return withPermit("export DHE group", () -> {
        ExportDh.Result r = ExportDh.measure(base, v, export.stream().map(CipherSuite::code).toList());
        if (r instanceof ExportDh.Measured m) {
          LOG.debug("export DHE group of {}: {} bits", base.target(), m.parameters().bits());
          return Optional.of(m.parameters());
        }
        note("export DHE group not read: " + ((ExportDh.Unreadable) r).reason());
        return Optional.empty();
      });
    }
    return Optional.empty();
  }

  private static List<CipherSuite> ofKeyExchange(List<CipherSuite> suites, String keyExchange) {
    if (suites == null) {
      return List.of();
    }
    return suites.stream().filter(s -> CipherSuites.find(s.code())
        .filter(i -> i.keyExchange().equals(keyExchange)).isPresent()).toList();
  }

  /** Elimination over {@code offered}; {@code known}, when not null, is the answer to offering all of it. */
  private List<CipherSuite> eliminate(TlsVersion v, List<CipherSuite> offered, CipherSuite known) {
    List<CipherSuite> left = new ArrayList<>(offered);
    List<CipherSuite> found = new ArrayList<>();
    while (!left.isEmpty()) {
      Optional<CipherSuite> pick = known != null ? Optional.of(known)
          : offer(v, left).flatMap(Observation::cipherSuite);
      known = null;
      if (pick.isEmpty()) {
        break;
      }
      int code = pick.get().code();
      if (!left.removeIf(s -> s.code() == code)) {
        // A provider lets through only offered suites; if not, stop rather than loop.
        incomplete.add(v + ": the server chose " + pick.get() + ", which was not offered");
        break;
      }
      found.add(CipherSuite.of(code));
    }
    return found;
  }

  /** One serverHelloOnly probe; the observation when the server chose this version. */
  private Optional<Observation> offer(TlsVersion v, List<CipherSuite> suites) {
    ClientOffer offer = ClientOffer.builder().versions(v).cipherSuites(suites)
        .serverHelloOnly(true).build();
    Optional<ProbeOutcome> outcome = send(v, offer);
    if (outcome.isPresent() && outcome.get() instanceof ProbeOutcome.Completed c
        && c.seen().version().filter(v::equals).isPresent() && c.seen().cipherSuite().isPresent()) {
      return Optional.of(c.seen());
    }
    return Optional.empty();
  }

  /** One probe within the connection limit; empty when none was made. */
  private Optional<ProbeOutcome> send(TlsVersion v, ClientOffer offer) {
    return withPermit(v.toString(), () -> {
      ProbeOutcome outcome = probe.probe(base.withOffer(offer));
      if (TlsVersion.SSL_2_0.equals(v)) {
        // Silence, a reset, a timeout or garbage all mean "no SSL 2.0": nothing is missing.
        return Optional.ofNullable(outcome);
      }
      if (outcome instanceof ProbeOutcome.Failed f) {
        FailureKind k = f.failure().kind();
        if (k == FailureKind.HANDSHAKE_TIMEOUT || k == FailureKind.CONNECT_TIMEOUT
            || k == FailureKind.CONNECTION_REFUSED || k == FailureKind.OTHER
            || k == FailureKind.PROXY_FAILED || k == FailureKind.STARTTLS_UNAVAILABLE) {
          note(v + ": " + k + " (" + f.failure().message() + ")");
        }
      } else if (outcome instanceof ProbeOutcome.Skipped s) {
        note(v + ": skipped (" + s.reason() + ")");
      }
      return Optional.ofNullable(outcome);
    });
  }

  /**
   * Does one connection's work within the connection limit: empty, with a note naming
   * {@code what}, when the enumeration stopped, the deadline passed before a permit was free,
   * or the provider failed.
   */
  private <T> Optional<T> withPermit(String what, java.util.function.Supplier<Optional<T>> work) {
    if (stopped()) {
      return Optional.empty();
    }
    boolean acquired = false;
    try {
      acquired = permits.tryAcquire(base.deadline().remaining().toMillis(), TimeUnit.MILLISECONDS);
      if (!acquired) {
        note(what + ": deadline reached");
        return Optional.empty();
      }
      connections.incrementAndGet();
      return work.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (RuntimeException e) {
      LOG.debug("provider {} failed while enumerating", probe.name(), e);
      note(what + ": provider error " + e);
      return Optional.empty();
    } finally {
      if (acquired) {
        permits.release();
      }
    }
  }

  private boolean stopped() {
    if (base.deadline().expired()) {
      note("deadline reached before the enumeration finished");
      return true;
    }
    return Thread.currentThread().isInterrupted();
  }

  private void note(String why) {
    synchronized (incomplete) {
      if (!incomplete.contains(why)) {
        incomplete.add(why);
      }
    }
  }

  static List<List<CipherSuite>> chunks(List<CipherSuite> all) {
    List<List<CipherSuite>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += CHUNK) {
      out.add(List.copyOf(all.subList(i, Math.min(all.size(), i + CHUNK))));
    }
    return out;
  }
}
