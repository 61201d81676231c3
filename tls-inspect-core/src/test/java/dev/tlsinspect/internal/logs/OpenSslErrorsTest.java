package dev.tlsinspect.internal.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two packed layouts of OpenSSL error codes, decoded from the strings servers print. */
class OpenSslErrorsTest {

  @Test
  void openssl3_libShifted23_reasonInTheLow23Bits() {
    OpenSslErrors.Error e = OpenSslErrors.find(
        "4017EC0BEC7F0000:error:0A0000C1:SSL routines:tls_post_process_client_hello:no shared cipher:"
            + "../ssl/statem/statem_srvr.c:2226:").orElseThrow();

    assertEquals(new OpenSslErrors.Error("0A0000C1", "3", 0xC1, "tls_post_process_client_hello", "no shared cipher"), e);
  }

  @Test
  void openssl3_shortForm_withoutFunction() {
    OpenSslErrors.Error e = OpenSslErrors.find("(SSL: error:0A000418:SSL routines::tlsv1 alert unknown ca:SSL alert "
        + "number 48) while SSL handshaking").orElseThrow();

    assertEquals(new OpenSslErrors.Error("0A000418", "3", 0x418, "", "tlsv1 alert unknown ca"), e);
  }

  @Test
  void openssl11_libShifted24_functionShifted12() {
    OpenSslErrors.Error e = OpenSslErrors.find(
        "140234:error:1408A0C1:SSL routines:ssl3_get_client_hello:no shared cipher:s3_srvr.c:1417:").orElseThrow();

    // 0x1408A0C1 = lib 0x14 (20, SSL) << 24 | func 0x08A << 12 | reason 0x0C1.
    assertEquals(new OpenSslErrors.Error("1408A0C1", "1.1", 0xC1, "ssl3_get_client_hello", "no shared cipher"), e);
  }

  @Test
  void unknownReasonNumber_keepsThePrintedText_cleaned() {
    OpenSslErrors.Error e = OpenSslErrors.find(
        "SSL Library Error: error:0A0001FF:SSL routines::Some New Reason -- hint").orElseThrow();

    assertEquals("some new reason", e.reason());
    assertEquals(0x1FF, e.reasonNumber());
  }

  @Test
  void otherLibraries_andNonCodes_areNotSslErrors() {
    assertEquals("", OpenSslErrors.find("error:02001002:system library:fopen:No such file").orElseThrow().version());
    assertEquals(-1, OpenSslErrors.find("error:80000002:system library::No such file").orElseThrow().reasonNumber());
    assertEquals(Optional.empty(), OpenSslErrors.find("error: something went wrong"));
    assertEquals(Optional.empty(), OpenSslErrors.find("error:0A0000C"));
    assertEquals(Optional.empty(), OpenSslErrors.find(""));
  }

  @Test
  void truncatedFields_doNotThrow() {
    OpenSslErrors.Error e = OpenSslErrors.find("error:0A0000C1:").orElseThrow();

    assertEquals("no shared cipher", e.reason());
  }

  @Test
  void theFullReasonTable_namesEveryReason_ofEveryLayout() {
    // Reasons the curated table does not hold, as 1.0.2, 1.1.1 and 3.x pack them.
    assertEquals(Optional.of("unknown protocol"), OpenSslErrors.reason(252));
    assertEquals(Optional.of("tlsv1 unrecognized name"), OpenSslErrors.reason(1112));
    assertEquals(Optional.of("inappropriate fallback"), OpenSslErrors.reason(373));
    assertEquals(Optional.empty(), OpenSslErrors.reason(0x7FFF));
    // A server that prints only the code: the number gives the reason.
    assertEquals("unknown protocol", OpenSslErrors.find("SSL: error:140770FC:").orElseThrow().reason());
    assertEquals("tlsv1 unrecognized name", OpenSslErrors.find("SSL: error:0A000458:").orElseThrow().reason());
    // What a server printed stands when the curated table does not know the number.
    assertEquals("no certificate returned",
        OpenSslErrors.find("error:140890B0:SSL routines:ssl3_get_client_certificate:no certificate returned")
            .orElseThrow().reason());
  }
}
