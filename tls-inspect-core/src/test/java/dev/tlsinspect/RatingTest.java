package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grade from findings, by the rules the site's rating page publishes, and that page itself. */
class RatingTest {
  private static final List<String> WITH_TLS13 = List.of("TLSv1.3", "TLSv1.2");
  private static final List<String> TLS12_ONLY = List.of("TLSv1.2");

  private static Finding finding(Code code) {
    return Finding.builder(code).title("t").build();
  }

  @Test
  void noFindings_isAPlusWithTls13_andAWithout() {
    assertEquals(new Rating("A+", List.of()), Rating.of(List.of(), WITH_TLS13));
    assertEquals(new Rating("A", List.of()), Rating.of(List.of(), TLS12_ONLY));
  }

  @Test
  void infoFindings_neverCap() {
    Rating r = Rating.of(List.of(finding(Code.NO_SERVER_CIPHER_ORDER)), WITH_TLS13);
    assertEquals("A+", r.grade());
  }

  @Test
  void eachSeverityCaps_andTheWorstCapWins_withEveryRuleListedWorstFirst() {
    assertEquals("A-", Rating.of(List.of(finding(Code.BEAST)), WITH_TLS13).grade());
    assertEquals("B", Rating.of(List.of(finding(Code.PROTOCOL_TLS1_0), finding(Code.BEAST)), WITH_TLS13).grade());
    assertEquals("C", Rating.of(List.of(finding(Code.WEAK_DH)), WITH_TLS13).grade());
    Rating r = Rating.of(List.of(finding(Code.BEAST), finding(Code.POODLE), finding(Code.PROTOCOL_TLS1_0),
        finding(Code.PROTOCOL_SSL3)), WITH_TLS13);
    assertEquals("F", r.grade());
    assertEquals(List.of("critical", "broken-crypto", "high", "medium", "low"),
        r.cappedBy().stream().map(Rating.Cap::rule).toList());
    assertEquals(List.of("PROTOCOL_SSL3"), r.cappedBy().get(0).codes());
    assertEquals(List.of("POODLE"), r.cappedBy().get(1).codes());
    assertEquals("D", r.cappedBy().get(1).grade());
  }

  @Test
  void logjamOf1024Bits_isMediumNotBrokenCrypto() {
    Finding logjam = Finding.builder(Code.LOGJAM).severity(Severity.MEDIUM).title("t").build();
    Rating r = Rating.of(List.of(logjam), WITH_TLS13);
    assertEquals("B", r.grade());
    assertEquals(List.of("medium"), r.cappedBy().stream().map(Rating.Cap::rule).toList());
  }

  @Test
  void rootCause_isF_evenWhenOnlyHigh_andNotEnumerated_isAtMostB() {
    Finding root = Finding.builder(Code.CERT_EXPIRING_SOON).rootCause(true).title("t").build();
    assertEquals("F", Rating.of(List.of(root), WITH_TLS13).grade());
    Rating unseen = Rating.of(List.of(finding(Code.ENUMERATION_UNAVAILABLE)), List.of());
    assertEquals("B", unseen.grade());
    assertEquals("not-enumerated", unseen.cappedBy().get(0).rule());
  }

  @Test
  void unknownGrade_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Rating("E", List.of()));
  }

  @Test
  void ratingPage_listsEveryRuleWithItsCap_inOrder() throws IOException {
    String page = Files.readString(SitePages.page("rating.md"));
    int from = 0;
    for (List<String> rule : Rating.rules()) {
      String row = "| `" + rule.get(0) + "` | " + rule.get(1) + " |";
      int at = page.indexOf(row, from);
      assertTrue(at >= 0, "rating.md lacks the row starting " + row + " (after position " + from + ")");
      from = at;
    }
    assertEquals(Rating.rules().size(), page.lines().filter(l -> l.startsWith("| `")).count(),
        "rating.md has rules the code does not");
  }
}
