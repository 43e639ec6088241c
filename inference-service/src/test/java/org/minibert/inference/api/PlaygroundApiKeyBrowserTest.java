package org.minibert.inference.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.minibert.inference.testing.Await;
import org.minibert.inference.testing.LocalStoreResource;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The playground of a service with an API key, in a real browser (see {@link
 * PlaygroundBrowserTest}): its first call meets a 401, the page asks for the key once, keeps it for
 * the tab only (sessionStorage, not localStorage) and then works as without a key.
 */
@QuarkusTest
@TestProfile(PlaygroundApiKeyBrowserTest.WithKey.class)
@WithTestResource(LocalStoreResource.class)
class PlaygroundApiKeyBrowserTest {
  static final String KEY = "playground-key-51c0";

  public static class WithKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("minibert.api-key", KEY);
    }
  }

  @TestHTTPResource("/")
  URL root;

  WebDriver driver;

  @BeforeEach
  void browser() {
    PlaygroundBrowserTest.assumeChromium();
    Await.until(
        "readiness",
        Duration.ofSeconds(60),
        () -> io.restassured.RestAssured.given().get("/q/health/ready").statusCode() == 200);
    driver = PlaygroundBrowserTest.newBrowser();
  }

  @AfterEach
  void quit() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void thePageAsksForTheKeyOnceAndKeepsItForTheTabOnly() {
    driver.get(
        URI.create(root.toString())
            .resolve("/?text=" + URLEncoder.encode("서울 [MASK]", StandardCharsets.UTF_8))
            .toString());
    // the model card and the pre-filled text both meet a 401: one question
    Alert question =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(ExpectedConditions.alertIsPresent());
    assertThat(question.getText()).contains("API key");
    question.sendKeys(KEY);
    question.accept();

    WebElement chip = driver.findElement(By.id("version-chip"));
    List<WebElement> shown =
        new WebDriverWait(driver, Duration.ofSeconds(15))
            .until(
                d -> {
                  List<WebElement> found = d.findElements(By.cssSelector("li.candidate"));
                  return found.isEmpty() ? null : found;
                });
    assertThat(shown).isNotEmpty();
    new WebDriverWait(driver, Duration.ofSeconds(10))
        .until(d -> !chip.getText().startsWith("loading"));
    assertThat(chip.getText()).contains(" · ").isNotEqualTo("no model");

    JavascriptExecutor js = (JavascriptExecutor) driver;
    assertThat(js.executeScript("return sessionStorage.getItem('minibert.api-key')"))
        .isEqualTo(KEY);
    assertThat(js.executeScript("return localStorage.length")).isEqualTo(0L);

    // later calls carry the key without asking again
    WebElement box = driver.findElement(By.id("text"));
    box.clear();
    box.sendKeys("한글을 만든 왕은 [MASK]이다.", Keys.ENTER);
    WebElement status = driver.findElement(By.id("fill-status"));
    new WebDriverWait(driver, Duration.ofSeconds(15))
        .until(d -> status.getText().startsWith("version "));
    assertThat(ExpectedConditions.alertIsPresent().apply(driver)).isNull();
  }

  @Test
  void aWrongKeyShowsTheServicesRefusal() {
    driver.get(root.toString());
    Alert question =
        new WebDriverWait(driver, Duration.ofSeconds(10))
            .until(ExpectedConditions.alertIsPresent());
    question.sendKeys("not-the-key");
    question.accept();
    WebElement facts = driver.findElement(By.id("model-facts"));
    new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> facts.getText().startsWith("401"));
    assertThat(facts.getText()).contains("API key");
    assertThat(driver.findElement(By.id("version-chip")).getText()).isEqualTo("no model");
  }
}
