package dev.tlsinspect.internal.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.probe.CipherSuite;
import dev.tlsinspect.probe.TlsVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpeedTest {

  @Test
  void chunksHoldEveryCandidateOnceAndKeepTheirOrder() {
    List<CipherSuite> candidates = Enumerator.candidates(TlsVersion.TLS_1_2);
    List<List<CipherSuite>> chunks = Speed.chunks(candidates);
    List<CipherSuite> all = new ArrayList<>();
    for (List<CipherSuite> chunk : chunks) {
      assertTrue(chunk.size() <= Enumerator.CHUNK);
      List<CipherSuite> inOrder = Speed.inCandidateOrder(chunk, candidates);
      assertEquals(inOrder, chunk, "a chunk keeps the candidates' order");
      all.addAll(chunk);
    }
    assertEquals(candidates.size(), all.size());
    assertEquals(new HashSet<>(candidates), new HashSet<>(all));
  }

  @Test
  void webServerSuitesShareTheFirstChunk() {
    List<List<CipherSuite>> chunks = Speed.chunks(Enumerator.candidates(TlsVersion.TLS_1_2));
    Set<Integer> first = new HashSet<>();
    chunks.get(0).forEach(s -> first.add(s.code()));
    // Mozilla's "old" profile: ECDHE-RSA, ECDHE-ECDSA and RSA suites, AES, ChaCha20 and 3DES.
    for (int code : new int[] {0xC02F, 0xC02B, 0xC030, 0xC02C, 0xCCA8, 0xCCA9, 0xC027, 0xC023,
        0xC013, 0xC009, 0xC028, 0xC024, 0xC014, 0xC00A, 0x009C, 0x009D, 0x003C, 0x003D, 0x002F,
        0x0035, 0x000A, 0x009E, 0x009F, 0x0033, 0x0039}) {
      assertTrue(first.contains(code), () -> "first chunk lacks " + CipherSuite.of(code));
    }
  }

  @Test
  void smallCandidateListsAreOneChunkAsBefore() {
    List<CipherSuite> candidates = Enumerator.candidates(TlsVersion.TLS_1_3);
    assertEquals(Enumerator.chunks(candidates), Speed.chunks(candidates));
  }

  @Test
  void theFirstPickIsNotAskedAgainAndRefusedChunksAreSkipped() {
    List<List<CipherSuite>> chunks = List.of(
        List.of(CipherSuite.of(1), CipherSuite.of(2)),
        List.of(CipherSuite.of(3), CipherSuite.of(4)),
        List.of(CipherSuite.of(5)));
    AtomicInteger calls = new AtomicInteger();
    List<CipherSuite> found = Speed.eliminateChunks(chunks, 1, CipherSuite.of(4), (offered, known) -> {
      calls.incrementAndGet();
      assertTrue(offered != chunks.get(0), "chunk 0 was refused already");
      if (offered == chunks.get(1)) {
        assertEquals(CipherSuite.of(4), known);
        return List.of(CipherSuite.of(4), CipherSuite.of(3));
      }
      return List.of(CipherSuite.of(5));
    });
    assertEquals(2, calls.get());
    assertEquals(List.of(CipherSuite.of(4), CipherSuite.of(3), CipherSuite.of(5)), found);
    assertEquals(2, Speed.chunksWithSuites(chunks, found));
  }
}
