package dev.tlsinspect;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests that generate site pages (catalogue, x509-limbo, real-world corpus) write them. */
public final class SitePages {
  private SitePages() {}

  /**
   * The repository root: the parent of this module's directory (Surefire's working directory).
   * Never looked for further up, so that a test cannot write outside the repository.
   *
   * @return the root, holding {@code src/site}
   */
  public static Path repository() {
    Path module = Path.of("").toAbsolutePath();
    Path root = module.getParent();
    if (root == null || !Files.isRegularFile(root.resolve("src/site/site.xml"))
        || !Files.isRegularFile(module.resolve("pom.xml"))) {
      return fail("run from the tls-inspect-core module directory (as Surefire does): no "
          + "src/site/site.xml in the parent of " + module);
    }
    return root;
  }

  /**
   * A page of the site.
   *
   * @param name the file name under {@code src/site/markdown}
   * @return its path
   */
  public static Path page(String name) {
    return repository().resolve("src/site/markdown").resolve(name);
  }
}
