package dev.tlsinspect.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tlsinspect.Code;
import dev.tlsinspect.Report;
import dev.tlsinspect.Target;
import dev.tlsinspect.testing.FakePeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's embedding example is the compiled code of {@link Embedding}, so it cannot rot. */
class ReadmeSnippetTest {

  @Test
  void readmeShowsTheCompiledExample() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    String source = Files.readString(root.resolve(
        "tls-inspect-examples/src/main/java/dev/tlsinspect/examples/Embedding.java"));
    List<String> lines = source.lines().toList();
    int start = indexOf(lines, "// readme:start");
    int end = indexOf(lines, "// readme:end");
    String snippet = lines.subList(start + 1, end).stream()
        .map(l -> l.startsWith("    ") ? l.substring(4) : l)
        .collect(Collectors.joining("\n"));
    String readme = Files.readString(root.resolve("README.md"));
    assertTrue(readme.contains("```java\n" + snippet + "\n```"),
        "README.md must show Embedding.java's readme region verbatim:\n" + snippet);
  }

  @Test
  void theExampleRuns() {
    try (FakePeer http = FakePeer.http()) {
      Report report = Embedding.check(Target.builder("localhost", http.port()).connectAddress("127.0.0.1").build());
      assertEquals(Code.NOT_TLS, report.rootCauses().get(0).code());
    }
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker " + marker + " not found");
  }
}
