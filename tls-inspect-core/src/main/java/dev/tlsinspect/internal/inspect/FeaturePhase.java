package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.InspectOptions;
import dev.tlsinspect.Target;
import dev.tlsinspect.probe.ClientOffer;
import dev.tlsinspect.probe.Deadline;
import dev.tlsinspect.probe.FeatureProbe;
import dev.tlsinspect.probe.HandshakeProbe;
import dev.tlsinspect.probe.Observation;
import dev.tlsinspect.probe.ProbeOutcome;
import dev.tlsinspect.probe.ProbeRequest;
import dev.tlsinspect.probe.ServerFeatures;
import dev.tlsinspect.probe.TlsVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * The extra handshakes of a full inspection (renegotiation, compression, fallback SCSV, EMS,
 * resumption, ALPN, early data, HSTS), made by the enumerating provider when it can. They start
 * as soon as the main handshake has reached TLS and run beside the enumeration, under the same
 * deadline; the checks read the result, so they stay pure.
 */
/** Starts and awaits the server-feature handshakes. Not API. */
final class FeaturePhase {
  private static final Logger LOG = LoggerFactory.getLogger(FeaturePhase.class);
  private static final ExecutorService POOL = IdlePools.cached("tls-inspect-features");
  private static final long ABANDON_GRACE_MILLIS = 2_000;

  private FeaturePhase() {}

  /** The handshakes under way, and what the last ones need. */
  record Started(CompletableFuture<Optional<ServerFeatures>> future, Optional<FeatureProbe> probe,
      Optional<ProbeRequest> request, TlsVersion highest) {
    static final Started NONE = new Started(CompletableFuture.completedFuture(Optional.empty()),
        Optional.empty(), Optional.empty(), TlsVersion.TLS_1_3);
  }

  static Started start(InspectOptions options,
      Optional<HandshakeProbe> enumerator, Target target, ProbeOutcome main, List<InetAddress> resolved,
      Deadline deadline) {
    Started none = Started.NONE;
    if (options.quick() || enumerator.isEmpty() || !(enumerator.get() instanceof FeatureProbe probe)
        || deadline.expired() || !reachedTls(main)) {
      return none;
    }
    Optional<InetSocketAddress> address = main.observation().flatMap(Observation::address);
    if (address.isEmpty()) {
      return none;
    }
    TlsVersion highest = main.observation().flatMap(Observation::version).orElse(TlsVersion.TLS_1_3);
    ProbeRequest request = new ProbeRequest(target, address.get(), resolved, deadline,
        options.connectTimeout(), options.readTimeout(), options.trust(), ClientOffer.providerDefaults(),
        options.clientCredentials());
    CompletableFuture<Optional<ServerFeatures>> future = new CompletableFuture<>();
    POOL.execute(() -> {
      try {
        future.complete(Optional.ofNullable(probe.features(request, highest)));
      } catch (RuntimeException | LinkageError | StackOverflowError e) {
        LOG.debug("provider {} failed to learn the server's features", enumerator.get().name(), e);
        future.complete(Optional.empty());
      }
    });
    return new Started(future, Optional.of(probe), Optional.of(request), highest);
  }

  /** A completed handshake, or one that got as far as the server's version (an untrusted chain). */
  private static boolean reachedTls(ProbeOutcome main) {
    return main instanceof ProbeOutcome.Completed
        || (main instanceof ProbeOutcome.Failed f && f.seen().version().isPresent());
  }

  /**
   * The features, once the handshakes beside the enumeration are done, completed by the
   * provider's last handshakes; called when every other connection of the inspection has ended.
   */
  static Optional<ServerFeatures> await(Started started, Deadline deadline) {
    Optional<ServerFeatures> learned = awaitFirst(started.future(), deadline);
    if (learned.isEmpty() || started.probe().isEmpty() || deadline.expired()) {
      return learned;
    }
    try {
      return Optional.of(started.probe().get().lastFeatures(started.request().orElseThrow(),
          started.highest(), learned.get()));
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      LOG.debug("the provider's last feature handshakes failed", e);
      return learned;
    }
  }

  private static Optional<ServerFeatures> awaitFirst(CompletableFuture<Optional<ServerFeatures>> future,
      Deadline deadline) {
    try {
      return future.get(deadline.remaining().toMillis() + ABANDON_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.empty();
    }
  }
}
