package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded JDK message of the catalogue (java-tls-notes section 2.5, client and server
 * side, JDK 17 and 25 forms) and the usual wrappers, from {@code jdk-exception-messages.txt}:
 * the expected root cause ranks first, the expected alternatives are there, and exceptions that
 * are not about TLS get no candidate.
 */
class ExplainCatalogueTest {

  record Case(String entry, String where, String source, String top, List<String> has, String text) {
    @Override
    public String toString() {
      return entry + " " + where + " -> " + top;
    }
  }

  static List<Case> cases() throws IOException {
    String all;
    try (InputStream in = ExplainCatalogueTest.class.getResourceAsStream("jdk-exception-messages.txt")) {
      all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<Case> out = new ArrayList<>();
    String header = null;
    StringBuilder text = new StringBuilder();
    for (String line : (all + "\n### end").split("\n", -1)) {
      if (line.startsWith("### ")) {
        if (header != null) {
          String[] h = header.substring(4).split("\\|");
          String top = h[3].trim().substring("top=".length());
          String has = h[4].trim().substring("has=".length());
          out.add(new Case(h[0].trim(), h[1].trim(), h[2].trim(), top,
              has.isEmpty() ? List.of() : Arrays.asList(has.split(",")), text.toString().strip()));
        }
        header = line;
        text.setLength(0);
      } else if (header != null && !(line.startsWith("#") && text.toString().isBlank())) {
        text.append(line).append('\n');
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void recordedMessage_givesTheExpectedRankedCandidates(Case c) {
    Explanation e = TlsExplainer.explain(c.text());
    List<String> codes = e.candidateCodes().stream().map(Code::name).toList();
    if (c.top().equals("NONE")) {
      assertFalse(e.recognised(), () -> "expected nothing for " + c + ", got " + codes);
      assertTrue(e.summary().startsWith("Not recognised"), e.summary());
      return;
    }
    assertTrue(e.recognised(), () -> "not recognised: " + c);
    assertEquals(c.top(), codes.get(0), () -> c + ": " + codes + "\n" + e.summary());
    assertTrue(codes.containsAll(c.has()), () -> c + ": " + codes + " lacks some of " + c.has());
    for (Explanation.Candidate cand : e.candidates()) {
      assertFalse(cand.why().isBlank());
      assertFalse(cand.confirm().isBlank());
      assertFalse(cand.matched().isBlank());
      assertTrue(cand.matched().length() <= 300);
      assertTrue(Diagnoses.find(cand.code()).isPresent(), cand.code() + " is a catalogue code");
    }
    assertTrue(e.summary().startsWith("Most likely " + c.top()), e.summary());
    assertTrue(e.verification().isEmpty());
  }

  @Test
  void everyEntryOfTheNotesCatalogueIsRecorded() throws IOException {
    Set<Integer> covered = new TreeSet<>();
    for (Case c : cases()) {
      for (String part : c.entry().split("/")) {
        if (part.startsWith("#")) {
          covered.add(Integer.parseInt(part.substring(1)));
        }
      }
    }
    Set<Integer> missing = new TreeSet<>();
    for (int i = 1; i <= 46; i++) {
      if (!covered.contains(i)) {
        missing.add(i);
      }
    }
    assertEquals(Set.of(), missing, "catalogue entries without a recorded message");
  }

  @Test
  void jdk17And25FormsOfTheSameMessageExplainAlike() {
    assertEquals(codes("javax.net.ssl.SSLHandshakeException: Received fatal alert: handshake_failure"),
        codes("javax.net.ssl.SSLHandshakeException: (handshake_failure) Received fatal alert: handshake_failure"));
    assertEquals(codes("java.lang.IllegalArgumentException: Unsupported protocolTLSv1.4"),
        codes("java.lang.IllegalArgumentException: Unsupported protocol: TLSv1.4"));
    Explanation e = TlsExplainer.explain("javax.net.ssl.SSLHandshakeException: (certificate_unknown) PKIX "
        + "path building failed: x");
    assertEquals("PKIX path building failed: x", e.chain().get(0).message());
    assertEquals("javax.net.ssl.SSLHandshakeException", e.chain().get(0).type());
  }

  private static String codes(String text) {
    return TlsExplainer.explain(text).candidateCodes().stream().map(Code::name)
        .collect(Collectors.joining(","));
  }
}
