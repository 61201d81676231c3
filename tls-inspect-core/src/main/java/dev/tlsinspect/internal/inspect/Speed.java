package dev.tlsinspect.internal.inspect;

import dev.tlsinspect.internal.registry.CipherSuites;
import dev.tlsinspect.probe.CipherSuite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/*
 * How the Enumerator saves connections without changing what it finds (bench/README.md has the
 * figures). Kept apart from the Enumerator so that its steps stay readable:
 *  - chunk composition: when a version has more than CHUNK candidates (TLS 1.2: over 300), the
 *    suites a web server can have (ECDHE, DHE or RSA key exchange with an RSA, ECDSA or DSS
 *    certificate) go in the first chunk, so that a typical server has suites in one chunk only
 *    and needs no second elimination across chunks. Within a chunk the candidates keep their
 *    order, and the suites found in several chunks are put back in candidate order before the
 *    elimination across chunks, so a server that follows the client's order gives the same list;
 *  - the ServerHello that showed a version accepted is the first step of that chunk's
 *    elimination, not asked again; chunks refused in that first step are not offered again;
 *  - the chunks after it are eliminated concurrently (the per-host limit still holds, in offer()).
 */
/** Scheduling of the enumeration's probes. Not API. */
final class Speed {
  private static final ExecutorService CHUNKS = IdlePools.cached("tls-inspect-enumerate-chunk");
  private static final Set<String> WEB_KEY_EXCHANGE = Set.of("ECDHE", "DHE", "RSA", "ANY");
  private static final Set<String> WEB_AUTHENTICATION = Set.of("RSA", "ECDSA", "DSS", "ANY");

  private Speed() {}

  /** One elimination: the suites, and the answer to offering all of them when already known (or null). */
  interface Elimination {
    List<CipherSuite> run(List<CipherSuite> offered, CipherSuite known);
  }

  /** The candidates in ClientHellos of at most {@link Enumerator#CHUNK} suites, likely ones first. */
  static List<List<CipherSuite>> chunks(List<CipherSuite> candidates) {
    if (candidates.size() <= Enumerator.CHUNK) {
      return Enumerator.chunks(candidates);
    }
    List<CipherSuite> likely = new ArrayList<>();
    List<CipherSuite> rest = new ArrayList<>();
    for (CipherSuite s : candidates) {
      (webSuite(s) ? likely : rest).add(s);
    }
    likely.addAll(rest);
    Map<Integer, Integer> rank = ranks(candidates);
    List<List<CipherSuite>> out = new ArrayList<>();
    for (List<CipherSuite> chunk : Enumerator.chunks(likely)) {
      List<CipherSuite> sorted = new ArrayList<>(chunk);
      sorted.sort(Comparator.comparingInt(s -> rank.get(s.code())));
      out.add(List.copyOf(sorted));
    }
    return out;
  }

  private static boolean webSuite(CipherSuite s) {
    return CipherSuites.find(s.code())
        .map(i -> WEB_KEY_EXCHANGE.contains(i.keyExchange()) && WEB_AUTHENTICATION.contains(i.authentication()))
        .orElse(false);
  }

  /**
   * Eliminates every chunk: those before {@code firstChunk} were refused already, the first
   * step of {@code firstChunk} is {@code firstPick}, the later chunks run concurrently.
   *
   * @return the suites found, chunk after chunk
   */
  static List<CipherSuite> eliminateChunks(List<List<CipherSuite>> chunks, int firstChunk,
      CipherSuite firstPick, Elimination elimination) {
    List<Future<List<CipherSuite>>> later = new ArrayList<>();
    for (int i = firstChunk + 1; i < chunks.size(); i++) {
      List<CipherSuite> chunk = chunks.get(i);
      later.add(CHUNKS.submit(() -> elimination.run(chunk, null)));
    }
    List<CipherSuite> found = new ArrayList<>(elimination.run(chunks.get(firstChunk), firstPick));
    try {
      for (Future<List<CipherSuite>> f : later) {
        found.addAll(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Error error && !(error instanceof StackOverflowError)) {
        throw error; // the JVM's, not the chunk's: not to be turned into a gap in the enumeration
      }
      throw new IllegalStateException("eliminating a chunk failed", e.getCause());
    } finally {
      for (Future<List<CipherSuite>> f : later) {
        f.cancel(true);
      }
    }
    return found;
  }

  /** How many chunks hold at least one of the suites found. */
  static int chunksWithSuites(List<List<CipherSuite>> chunks, List<CipherSuite> found) {
    Set<Integer> codes = new HashSet<>();
    found.forEach(s -> codes.add(s.code()));
    int n = 0;
    for (List<CipherSuite> chunk : chunks) {
      if (chunk.stream().anyMatch(s -> codes.contains(s.code()))) {
        n++;
      }
    }
    return n;
  }

  /** The suites in the order of the candidates (the client's preference). */
  static List<CipherSuite> inCandidateOrder(List<CipherSuite> found, List<CipherSuite> candidates) {
    Map<Integer, Integer> rank = ranks(candidates);
    List<CipherSuite> out = new ArrayList<>(found);
    out.sort(Comparator.comparingInt(s -> rank.getOrDefault(s.code(), Integer.MAX_VALUE)));
    return out;
  }

  private static Map<Integer, Integer> ranks(List<CipherSuite> candidates) {
    Map<Integer, Integer> rank = new HashMap<>();
    for (int i = 0; i < candidates.size(); i++) {
      rank.putIfAbsent(candidates.get(i).code(), i);
    }
    return rank;
  }
}
