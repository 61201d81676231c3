package dev.tlsinspect.internal.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tlsinspect.internal.cert.PublicSuffixes.Section;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Public Suffix List rules (https://publicsuffix.org/list/) as read from the bundled list. */
class PublicSuffixesTest {
  @Test
  void plainRules_fromTheIcannSection() {
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("com"));
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("co.uk"));
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("com.au"));
  }

  @Test
  void registrableNames_areNotSuffixes() {
    assertEquals(Optional.empty(), PublicSuffixes.of("example.com"));
    assertEquals(Optional.empty(), PublicSuffixes.of("example.co.uk"));
    assertEquals(Optional.empty(), PublicSuffixes.of("www.example.co.uk"));
  }

  @Test
  void wildcardRule_andItsException() {
    // "*.ck" makes every name under ck a suffix; "!www.ck" takes www.ck out again.
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("anything.ck"));
    assertEquals(Optional.empty(), PublicSuffixes.of("www.ck"));
    assertEquals(Optional.empty(), PublicSuffixes.of("shop.anything.ck"));
  }

  @Test
  void privateSection_isTold() {
    assertEquals(Optional.of(Section.PRIVATE), PublicSuffixes.of("github.io"));
    assertEquals(Optional.empty(), PublicSuffixes.of("someone.github.io"));
  }

  @Test
  void oneLabelNotOnTheList_fallsUnderTheDefaultRule() {
    assertEquals(Optional.of(Section.DEFAULT), PublicSuffixes.of("corp"));
    assertEquals(Optional.empty(), PublicSuffixes.of("intranet.corp"));
  }

  @Test
  void caseTrailingDotAndUnicode_areNormalized() {
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("CO.UK."));
    // The list writes IDN suffixes in Unicode; certificates carry punycode. Both are found.
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("\u4e2d\u56fd")); // xn--fiqs8s
    assertEquals(Optional.of(Section.ICANN), PublicSuffixes.of("xn--fiqs8s"));
  }

  @Test
  void nonsense_isNoSuffix() {
    assertEquals(Optional.empty(), PublicSuffixes.of(""));
    assertEquals(Optional.empty(), PublicSuffixes.of(null));
    assertEquals(Optional.empty(), PublicSuffixes.of("x".repeat(300)));
    assertEquals(Optional.empty(), PublicSuffixes.of("a..b")); // IDN refuses an empty label
  }
}
