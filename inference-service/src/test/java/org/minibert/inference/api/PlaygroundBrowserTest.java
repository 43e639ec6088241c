package org.minibert.inference.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground page ({@code GET /}) in a real browser: headless Chromium driven through the
 * system's chromedriver (Debian {@code chromium} and {@code chromium-driver}; no Selenium Manager
 * download). Skipped, with the reason, where there is no Chromium. The first test leaves a
 * screenshot in {@code target/playground.png} (README's {@code docs/playground.png} is one).
 */
@QuarkusTest
@WithTestResource(LocalStoreResource.class)
class PlaygroundBrowserTest {
  static final String TEXT = "대한민국의 수도는 [MASK]이다.";
  static final Path CHROMEDRIVER =
      Path.of(System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver"));
  static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  static final Path SCREENSHOT = Path.of("target/playground.png");

  static WebDriver driver;

  @TestHTTPResource("/")
  URL root;

  @BeforeEach
  void browser() {
    assumeChromium();
    Await.ready();
    if (driver == null) {
      driver = newBrowser();
    }
  }

  /** Skips the test where there is no Chromium. */
  static void assumeChromium() {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
        "no Chromium here: the browser test needs "
            + CHROMIUM
            + " and "
            + CHROMEDRIVER
            + " (apt-get install chromium chromium-driver)");
  }

  /** A headless Chromium through the system's chromedriver. */
  static WebDriver newBrowser() {
    System.setProperty("webdriver.remote.enableTracing", "false");
    ChromeOptions options =
        new ChromeOptions()
            .setBinary(CHROMIUM.toFile())
            .addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=1000,1250",
                "--lang=ko-KR");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  @AfterAll
  static void quit() {
    if (driver != null) {
      driver.quit();
      driver = null;
    }
  }

  @Test
  void typingASentenceAndEnterShowsTheCandidatesOfTheApi() throws IOException {
    open("");
    WebElement box = driver.findElement(By.id("text"));
    box.sendKeys(TEXT, Keys.ENTER);
    List<WebElement> shown = candidates(5);

    List<String> expected =
        given()
            .queryParam("text", TEXT)
            .queryParam("top_k", 5)
            .get("/fill-mask")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("masks[0].candidates.token", String.class);
    assertThat(shown)
        .extracting(e -> e.findElement(By.className("token")).getText())
        .isEqualTo(expected);
    double previous = 1;
    for (WebElement candidate : shown) {
      double score = Double.parseDouble(candidate.getAttribute("data-score"));
      assertThat(score).isBetween(0.0, previous);
      previous = score;
      assertThat(candidate.findElement(By.className("score")).getText()).endsWith("%");
      assertThat(candidate.findElement(By.className("sequence")).getText())
          .startsWith("대한민국의 수도는 ")
          .endsWith("이다.")
          .doesNotContain("[MASK]");
    }
    // the bars' widths are set under the Content-Security-Policy (no style attributes)
    Object barWidth =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return parseFloat(getComputedStyle("
                    + "document.querySelector('li.candidate .bar span')).width);");
    assertThat(((Number) barWidth).doubleValue()).isGreaterThan(0);
    assertThat(driver.getCurrentUrl()).contains("?text=");
    assertThat(driver.findElement(By.id("fill-status")).getText()).startsWith("version ");

    Files.createDirectories(SCREENSHOT.getParent());
    Path png = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(png, SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aLinkWithTextPreFillsTheBoxAndRunsIt() {
    open("?text=" + URLEncoder.encode("서울 [MASK]", StandardCharsets.UTF_8));
    assertThat(candidates(5)).isNotEmpty();
    assertThat(driver.findElement(By.id("text")).getDomProperty("value")).isEqualTo("서울 [MASK]");
  }

  @Test
  void enterThatCommitsAKoreanSyllableDoesNotRunTheText() {
    open("");
    WebElement box = driver.findElement(By.id("text"));
    box.sendKeys("서울 [MASK]");
    JavascriptExecutor js = (JavascriptExecutor) driver;
    // what an input method sends: Enter while composing (most browsers), then Enter right after the
    // composition ended (Safari)
    js.executeScript(
        "const box = arguments[0];"
            + "box.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));"
            + "box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', isComposing: true,"
            + " bubbles: true, cancelable: true}));"
            + "box.dispatchEvent(new CompositionEvent('compositionend', {data: '울'}));"
            + "box.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true,"
            + " cancelable: true}));",
        box);
    sleep(Duration.ofMillis(400));
    assertThat(driver.findElements(By.cssSelector("li.candidate"))).isEmpty();
    assertThat(driver.findElement(By.id("fill-status")).getText()).isEmpty();

    box.sendKeys(Keys.ENTER);
    assertThat(candidates(5)).isNotEmpty();
  }

  @Test
  void textWithoutAMaskShowsTheServicesProblemDetail() {
    open("");
    driver.findElement(By.id("text")).sendKeys("마스크가 없는 문장", Keys.ENTER);
    WebElement status = driver.findElement(By.id("fill-status"));
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> status.getText().startsWith("400"));
    assertThat(status.getText()).contains("[MASK]");
    assertThat(driver.findElements(By.cssSelector("li.candidate"))).isEmpty();
  }

  @Test
  void theNspFormShowsTheProbabilityOfTheApi() {
    open("");
    String first = "비가 많이 왔다.";
    String second = "우산을 썼다.";
    WebElement a = driver.findElement(By.id("first"));
    a.clear();
    a.sendKeys(first);
    WebElement b = driver.findElement(By.id("second"));
    b.clear();
    b.sendKeys(second);
    driver.findElement(By.id("nsp-submit")).click();
    WebElement verdict =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(d -> d.findElement(By.cssSelector("#nsp-result .verdict")));

    double expected =
        given()
            .contentType(ContentType.JSON)
            .body(Map.of("first", first, "second", second))
            .post("/nsp")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getDouble("probability");
    assertThat(Double.parseDouble(verdict.getAttribute("data-probability")))
        .isCloseTo(expected, org.assertj.core.api.Assertions.within(1e-6));
    assertThat(driver.findElement(By.id("nsp-probability")).getText()).isEqualTo(percent(expected));
    assertThat(verdict.getText()).startsWith(expected >= 0.5 ? "Follows" : "Does not follow");
  }

  @Test
  void theModelCardShowsWhatModelSays() {
    open("");
    var model = given().get("/model").then().statusCode(200).extract().jsonPath();
    WebElement version =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(d -> d.findElement(By.cssSelector("dd[data-fact='version']")));
    assertThat(version.getText()).isEqualTo(model.getString("version"));
    assertThat(fact("execution provider")).isEqualTo(model.getString("provider"));
    assertThat(fact("created")).isEqualTo(model.getString("created_at"));
    assertThat(fact("parameters").replace(",", ""))
        .isEqualTo(String.valueOf(model.getLong("config.num_parameters")));
    assertThat(fact("architecture"))
        .startsWith(model.getInt("config.num_hidden_layers") + " layers");
    assertThat(driver.findElement(By.id("version-chip")).getText())
        .contains(model.getString("version"));
  }

  /** No external resources: every script, style sheet and link on the page is the service's own. */
  @Test
  void thePageLoadsNothingFromElsewhere() {
    open("");
    Object external =
        ((JavascriptExecutor) driver)
            .executeScript(
                "return performance.getEntriesByType('resource').map(e => e.name)"
                    + ".filter(n => !n.startsWith(location.origin));");
    assertThat((List<?>) external).isEmpty();
  }

  private void open(String query) {
    driver.get(URI.create(root.toString()).resolve("/" + query).toString());
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> !d.findElement(By.id("version-chip")).getText().startsWith("loading"));
  }

  private static List<WebElement> candidates(int count) {
    return new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(
            d -> {
              List<WebElement> shown = d.findElements(By.cssSelector("li.candidate"));
              return shown.size() == count ? shown : null;
            });
  }

  private static String fact(String name) {
    return driver.findElement(By.cssSelector("dd[data-fact='" + name + "']")).getText();
  }

  /** As the page writes it (one decimal from 10%, two below). */
  private static String percent(double p) {
    return String.format(Locale.ROOT, p >= 0.1 ? "%.1f%%" : "%.2f%%", 100 * p);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
