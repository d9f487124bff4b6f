package io.pinhole.proxy.console;

import io.pinhole.proxy.support.ProxyInstance;
import io.pinhole.proxy.support.RelayProcess;
import io.pinhole.testsupport.FreePorts;
import io.pinhole.testsupport.Sipp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The web console used as a person would, in a real headless Chromium (Debian's chromium and
 * chromium-driver, driven by Selenium): sign in with the admin token, add a domain and two
 * users, see a real SIPp phone register with digest auth, see a SIPp call go live, hang it up
 * from the console (both phones get a BYE), find its CDR and read its SIP ladder. On failure a
 * screenshot and the page's HTML are left in {@code target/console-screenshots/}.
 *
 * <p>Without chromium this test is skipped on a developer's machine and fails in CI ({@code CI=true}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String DOMAIN = "browser.example";
    private static final String PASSWORD = "correct-horse";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private RelayProcess relay;
    private ProxyInstance proxy;
    private Path profile;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "needs " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian packages chromium, chromium-driver)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(missing + ": .ci/run installs them");
            }
            Assumptions.abort(missing);
        }
        relay = RelayProcess.start(42400, 42499);
        proxy = ProxyInstance.start(Map.of("pinhole.media.default-relay", relay.control()));
        profile = Files.createTempDirectory("console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
        wait.ignoring(StaleElementReferenceException.class); // the live pages redraw every few seconds
    }

    @AfterAll
    void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anAdminSignsInAddsPhonesSeesTheirCallHangsItUpAndReadsItsLadder() throws IOException {
        try {
            signIn();
            addDomainAndUsers();
            int bobPort = FreePorts.udpAndTcp();
            seesThePhoneRegister(bobPort);
            hangsUpALiveCallAndReadsItsCdrAndLadder(bobPort);
            addsARouteAndSeesTheRelays();
        } catch (AssertionError | RuntimeException e) {
            screenshot("anAdminSignsInAddsPhonesSeesTheirCallHangsItUpAndReadsItsLadder");
            throw e;
        }
    }

    private void signIn() {
        browser.get("http://127.0.0.1:" + proxy.adminPort() + "/console/");
        WebElement token = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        token.sendKeys("not-the-token-at-all");
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.textToBe(By.id("sign-in-error"), "Wrong token."));

        token.clear();
        token.sendKeys(ProxyInstance.TOKEN);
        browser.findElement(By.id("sign-in-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("active-calls")));
        assertThat(text("registrations")).contains("registrations");
        assertThat(text("relay-load")).contains("default");
    }

    private void addDomainAndUsers() {
        browser.findElement(By.id("nav-domains")).click();
        type(By.id("domain-name"), DOMAIN);
        browser.findElement(By.id("add-domain-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Domain " + DOMAIN + " added."));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("domains"), DOMAIN));
        for (String user : List.of("alice", "bob")) {
            type(By.id("user-name"), user);
            type(By.id("user-password"), PASSWORD);
            browser.findElement(By.id("add-user-button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("users"), user + "@" + DOMAIN));
        }
    }

    private void seesThePhoneRegister(int bobPort) {
        browser.findElement(By.id("nav-registrations")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("registrations-table"), "No phone"));
        Sipp.Result registered = Sipp.scenario("register.xml", proxy.sipTarget()).localPort(bobPort).service("bob")
                .credentials("bob", PASSWORD).key("domain", DOMAIN).key("expires", 600).run();
        assertThat(registered.passed()).as(registered.describe()).isTrue();
        // the page redraws itself every few seconds
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("registrations-table"), "bob@" + DOMAIN));
        assertThat(text("registrations-table")).contains("127.0.0.1:" + bobPort);
    }

    private void hangsUpALiveCallAndReadsItsCdrAndLadder(int bobPort) {
        browser.findElement(By.id("nav-calls")).click();
        Sipp.Running bob = Sipp.scenario("call-uas.xml", proxy.sipTarget()).localPort(bobPort).start();
        Sipp.Running alice = Sipp.scenario("call-uac-wait-bye.xml", proxy.sipTarget()).service("alice")
                .credentials("alice", PASSWORD).key("domain", DOMAIN).key("callee", "bob")
                .key("sdp_ip", "192.0.2.10").start();
        By hangUp = By.cssSelector("#calls button.hang-up");
        wait.until(ExpectedConditions.elementToBeClickable(hangUp));
        assertThat(text("calls")).contains("alice@" + DOMAIN, "bob@" + DOMAIN, "ANSWERED", "RELAY_UDP via default");
        String callId = wait.until(driver -> driver.findElement(hangUp).getAttribute("data-call-id"));

        wait.until(driver -> {
            driver.findElement(hangUp).click();
            return Boolean.TRUE;
        });

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "hung up"));
        Sipp.Result aliceResult = alice.await();
        Sipp.Result bobResult = bob.await();
        assertThat(aliceResult.passed()).as("the caller got a BYE\n" + aliceResult.describe()).isTrue();
        assertThat(bobResult.passed()).as("the callee got a BYE\n" + bobResult.describe()).isTrue();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("calls"), "No call in progress."));

        browser.findElement(By.id("nav-cdrs")).click();
        type(By.id("cdr-party"), "bob");
        // the CDR is written a moment after the call ends: search again until it is there
        wait.until(driver -> {
            if (text("cdr-results").contains("admin-hangup")) {
                return Boolean.TRUE;
            }
            driver.findElement(By.id("cdr-search-button")).click();
            return null;
        });
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cdrs"), callId));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cdrs"), "alice@" + DOMAIN));

        // a search still under way may redraw the results once more: click what is there then
        wait.until(driver -> {
            driver.findElement(By.cssSelector("#cdrs a.ladder-link")).click();
            return Boolean.TRUE;
        });
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ladder")));
        List<String> lines = browser.findElements(By.cssSelector("#ladder .first-line")).stream()
                .map(WebElement::getText).toList();
        assertThat(lines).anyMatch(l -> l.startsWith("INVITE sip:bob@" + DOMAIN))
                .anyMatch(l -> l.startsWith("SIP/2.0 200"))
                .anyMatch(l -> l.startsWith("BYE sip:"));
        assertThat(text("page")).contains(callId, "callee leg");
    }

    private void addsARouteAndSeesTheRelays() {
        browser.findElement(By.id("nav-routes")).click();
        type(By.cssSelector("#add-route input[name=matchUser]"), "carol");
        type(By.cssSelector("#add-route input[name=matchDomain]"), "elsewhere.example");
        type(By.cssSelector("#add-route input[name=targetUri]"), "sip:192.0.2.99:5060");
        browser.findElement(By.cssSelector("#add-route button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Route added."));
        assertThat(text("routes")).contains("carol @elsewhere.example", "sip:192.0.2.99:5060", "proxy");

        browser.findElement(By.id("nav-relays")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("relays"), "default"));
        assertThat(text("relays")).contains("configured default", "up")
                .as("the media transports its pong announced").contains("udp");
    }

    /** Read again when the page redrew itself in between (the live pages do every few seconds). */
    private String text(String id) {
        return wait.until(driver -> driver.findElement(By.id(id)).getText());
    }

    private void type(By field, String value) {
        WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(field));
        input.clear();
        input.sendKeys(value);
    }

    private void screenshot(String name) throws IOException {
        if (browser == null) {
            return;
        }
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "console-screenshots");
        Files.createDirectories(dir);
        Files.write(dir.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        Files.writeString(dir.resolve(name + ".html"), browser.getPageSource(), StandardCharsets.UTF_8);
    }
}
