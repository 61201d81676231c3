package dev.tlsinspect.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The status page and the HTML report in a real headless Chromium ({@code /usr/bin/chromium}),
 * driven by Selenium through the system's {@code /usr/bin/chromedriver}: both paths are given
 * explicitly, so Selenium Manager never looks for (or downloads) a driver or a browser. Every page
 * comes from 127.0.0.1 or a local file. In CI a missing browser or driver fails the test; elsewhere
 * it skips.
 */
class ChromiumStatusPageTest {

  @Test
  void statusPageListsEveryTargetAndItsLinksOpenTheReports(@TempDir Path dir) throws Exception {
    Path chromium = ExporterFixture.requireTool("/usr/bin/chromium", "chromium");
    Path chromedriver = ExporterFixture.requireTool("/usr/bin/chromedriver", "chromium-driver");
    // The JDK writes user.timezone when the default zone is first looked up: done before the
    // snapshot, so the comparison at the end sees only what Selenium and the exporter did.
    java.util.TimeZone.getDefault();
    Map<Object, Object> propertiesBefore = new HashMap<>(System.getProperties());
    try (ExporterFixture fixture = new ExporterFixture(dir, Map.of())) {
      fixture.awaitFirstRound();
      Path html = dir.resolve("expired.html");
      MainTest.Run run = MainTest.run("--quick", "--html", html.toString(), "--ca-file", fixture.rootPem.toString(),
          ExporterFixture.target(fixture.expired));
      assertEquals(2, run.status(), run.err());

      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(chromedriver.toFile()).usingAnyFreePort()
          .withLogFile(dir.resolve("chromedriver.log").toFile()).build();
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--no-first-run", "--disable-extensions", "--disable-default-apps",
          "--user-data-dir=" + Files.createDirectory(dir.resolve("profile")));
      WebDriver driver = new ChromeDriver(service, options);
      try {
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20));
        driver.get(fixture.exporter.url() + "/");
        assertEquals("tls-inspect serve: status", driver.getTitle());
        List<WebElement> rows = driver.findElements(By.cssSelector("#targets tr.target"));
        List<String> listed = new ArrayList<>();
        Map<String, String> hrefs = new HashMap<>();
        Map<String, String> verdicts = new HashMap<>();
        Map<String, String> roots = new HashMap<>();
        for (WebElement row : rows) {
          String target = row.getAttribute("data-target");
          listed.add(target);
          hrefs.put(target, row.findElement(By.tagName("a")).getAttribute("href"));
          verdicts.put(target, row.findElement(By.cssSelector(".verdict")).getText());
          roots.put(target, row.findElement(By.cssSelector(".root-cause")).getText());
        }
        assertEquals(fixture.targets(), listed);
        String healthy = ExporterFixture.target(fixture.healthy);
        String expired = ExporterFixture.target(fixture.expired);
        String hostile = ExporterFixture.target(fixture.hostile);
        String refused = "127.0.0.1:" + fixture.refusedPort;
        assertEquals("PASS", verdicts.get(healthy));
        assertEquals("", roots.get(healthy));
        assertEquals("FAIL", verdicts.get(expired));
        assertEquals("CERT_EXPIRED", roots.get(expired));
        assertEquals("CONNECTION_REFUSED", roots.get(refused));

        // Every link opens that target's report.
        for (String target : listed) {
          driver.get(hrefs.get(target));
          assertEquals(target, driver.findElement(By.id("target")).getText(), hrefs.get(target));
          assertTrue(driver.getTitle().startsWith("tls-inspect 127.0.0.1:"), driver.getTitle());
        }
        driver.get(hrefs.get(expired));
        assertEquals("FAIL", driver.findElement(By.id("verdict")).getText());
        WebElement finding = driver.findElement(By.cssSelector(".finding[data-code=CERT_EXPIRED]"));
        assertTrue(finding.getText().startsWith("ROOT CAUSE CRITICAL CERT_EXPIRED"), finding.getText());
        assertTrue(finding.getText().contains("Fix:"), finding.getText());
        assertEquals(3, driver.findElements(By.cssSelector("#chain tr")).size(), "a header and two certificates");

        // The hostile subject is text on the page: no script ran, no element was injected.
        driver.get(hrefs.get(hostile));
        assertTrue(driver.findElements(By.tagName("script")).isEmpty());
        assertTrue(driver.findElements(By.tagName("img")).isEmpty());
        assertFalse(driver.getTitle().contains("pwned"), driver.getTitle());
        String subject = driver.findElement(By.cssSelector("#chain .subject")).getText();
        assertTrue(subject.contains("<script\\>document.title\\='pwned'"), subject);

        // The file --html wrote renders alone, from disk.
        driver.get(html.toUri().toString());
        assertEquals("FAIL", driver.findElement(By.id("verdict")).getText());
        assertEquals(expired, driver.findElement(By.id("target")).getText());
        assertFalse(driver.findElements(By.cssSelector(".finding[data-code=CERT_EXPIRED] .root")).isEmpty());
      } finally {
        driver.quit();
      }
    }
    Map<Object, Object> after = new HashMap<>(System.getProperties());
    java.util.Set<Object> changed = new java.util.TreeSet<>(java.util.Comparator.comparing(String::valueOf));
    for (Object key : union(propertiesBefore.keySet(), after.keySet())) {
      if (!java.util.Objects.equals(propertiesBefore.get(key), after.get(key))) {
        changed.add(key);
      }
    }
    assertEquals(java.util.Set.of(), changed, "system properties changed during the test");
  }

  private static java.util.Set<Object> union(java.util.Set<Object> a, java.util.Set<Object> b) {
    java.util.Set<Object> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
