package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.evault.gateway.db.DerbyMetadataStore;
import org.evault.protocol.receipt.ReceiptBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser path in real headless Chromium (Debian's chromium and chromedriver, driven by
 * Selenium) against a real gateway and n = 3 daemon processes: register, log in, deposit a file
 * through the form, check the receipt on the page with the vault key from the registration page,
 * download the file and compare bytes, log out.
 *
 * <p>The gateway's certificate is issued by the test deployment's own CA, made fresh for every
 * run; Chromium trusts only the system's store (adding a CA means an NSS database and certutil),
 * so the browser is told to accept the chain ({@code acceptInsecureCerts}) for this session only.
 * What the browser shows is still checked cryptographically: the receipt against the vault key.
 */
class BrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static RunningVault vault;
    static VaultClient client;
    static DerbyMetadataStore store;
    static GatewayServer server;
    static WebDriver browser;
    static Path downloads;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + " (apt-get install chromium chromium-driver; .ci/run installs them)";
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        gateway = TestGateway.start(dir, "browser-test", c -> c);
        vault = gateway.vault;
        client = gateway.client;
        store = gateway.store;
        server = gateway.server;

        downloads = Files.createDirectories(dir.resolve("downloads"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        options.setAcceptInsecureCerts(true);
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        prefs.put("download.directory_upgrade", true);
        options.setExperimentalOption("prefs", prefs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeDriver chrome = new ChromeDriver(service, options);
        // Headless Chromium takes downloads only when told where (the pref alone is not always honoured).
        chrome.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                downloads.toString()));
        browser = chrome;
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    static String url(String path) {
        return "https://localhost:" + server.port() + path;
    }

    static PublicKey fromPem(String pem) throws Exception {
        String b64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    @Test
    void register_login_deposit_receipt_download_logout() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, WAIT);

        browser.get(url("/register"));
        PublicKey vaultKey = fromPem(browser.findElement(By.id("vault-public-key")).getText());
        assertThat(vaultKey.getEncoded()).isEqualTo(client.publicKey().toJca().getEncoded());
        Map<String, String> fields = Map.of("name", "Carol Browser", "address", "3 Web Way", "phone", "+1 555 0199",
                "email", "carol@example.org", "userId", "carol", "password", "carol's long password");
        for (Map.Entry<String, String> f : fields.entrySet()) {
            browser.findElement(By.id(f.getKey())).sendKeys(f.getValue());
        }
        browser.findElement(By.id("register-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("notice")));
        assertThat(browser.getCurrentUrl()).contains("/login");

        browser.findElement(By.id("userId")).sendKeys("carol");
        browser.findElement(By.id("password")).sendKeys("carol's long password");
        browser.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.urlToBe(url("/documents")));
        assertThat(browser.findElement(By.id("no-documents")).getText()).contains("No documents yet");

        byte[] content = TestData.bytes(256 * 1024 + 7, 21);
        String fileName = "résumé 2026.bin";
        Path upload = Files.write(Files.createDirectories(dir.resolve("uploads")).resolve(fileName), content);
        browser.get(url("/deposit"));
        browser.findElement(By.id("file")).sendKeys(upload.toAbsolutePath().toString());
        browser.findElement(By.id("deposit-submit")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("evault-receipt")));

        JsonNode receipt = new ObjectMapper().readTree(browser.findElement(By.id("evault-receipt")).getText());
        byte[] body = Base64.getDecoder().decode(receipt.get("body").asText());
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(vaultKey);
        rsa.update(body);
        assertThat(rsa.verify(Base64.getDecoder().decode(receipt.get("signature").asText()))).isTrue();
        ReceiptBody parsed = ReceiptBody.parse(body);
        assertThat(parsed.owner()).isEqualTo("carol");
        assertThat(parsed.documentName()).isEqualTo(fileName);
        assertThat(parsed.sha256().toBytes()).isEqualTo(TestData.sha256(content));
        assertThat(browser.findElement(By.id("receipt-name")).getText()).isEqualTo(fileName);
        assertThat(browser.findElement(By.id("receipt-size")).getText()).isEqualTo(content.length + " bytes");
        // What the page looked like, for a person reading a failed run.
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "browser-receipt.png"),
                ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

        browser.findElement(By.id("download-link")).click();
        Path downloaded = downloads.resolve(fileName);
        wait.withMessage("the download of " + fileName + " into " + downloads).until(d -> complete(downloaded));
        assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);

        browser.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        browser.get(url("/documents"));
        wait.until(ExpectedConditions.urlToBe(url("/login")));
        assertThat(store.auditLog("carol", 20)).anySatisfy(e -> assertThat(e.action()).isEqualTo("logout"));
    }

    /** The file is there and Chromium has no partial download left in the folder. */
    static boolean complete(Path file) {
        try (Stream<Path> files = Files.list(file.getParent())) {
            List<Path> all = files.toList();
            return all.contains(file) && all.stream().noneMatch(p -> p.getFileName().toString().endsWith(".crdownload"))
                    && Files.size(file) > 0;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
