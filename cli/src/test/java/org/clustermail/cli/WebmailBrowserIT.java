package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.node.local.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Web-mail in a real browser (Debian's chromium, driven through chromium-driver by Selenium) against the two-node
 * demo cluster as a user starts it: log in on the node that does not hold the mailbox and land on the one that does,
 * read an HTML message whose script, event handlers, remote image and {@code javascript:} link are gone (and none of
 * them ran), reply (refused to the outside sender: no relay; delivered to a colleague on the other node), move it
 * to Trash, log out; a wrong password is refused on the page.
 */
class WebmailBrowserIT {

    private static final Path JAR = Path.of("target", "clustermail.jar").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path dir;

    @Test
    void aUserReadsSanitisedHtmlMailInTheBrowserOnTheNodeThatHoldsTheMailbox() throws Exception {
        assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
                .as("Debian's chromium and chromium-driver are installed (.ci/apt-packages)").isTrue();
        int base = LocalCluster.freeBasePort(21000 + (int) (ProcessHandle.current().pid() % 20000), 2);
        Process demo = new ProcessBuilder(java(), "-jar", JAR.toString(), "demo", "--nodes", "2", "--base-port",
                Integer.toString(base)).directory(dir.toFile()).redirectErrorStream(true).start();
        WebDriver browser = null;
        try {
            List<String> banner = readBanner(demo);
            String all = String.join("\n", banner);
            List<String> web = new ArrayList<>();
            Matcher urls = Pattern.compile("web-mail (https://127\\.0\\.0\\.1:\\d+/)").matcher(all);
            while (urls.find()) {
                web.add(urls.group(1));
            }
            assertThat(web).as(all).hasSize(2);
            Matcher pw = Pattern.compile("users \\(password (\\S+)\\)").matcher(all);
            assertThat(pw.find()).as(all).isTrue();
            Matcher onNode2 = Pattern.compile("(\\S+@example\\.test) \\(node 2, then node 1\\)").matcher(all);
            assertThat(onNode2.find()).as(all).isTrue();
            String user = onNode2.group(1);
            Matcher onNode1 = Pattern.compile("(\\S+@example\\.test) \\(node 1, then node 2\\)").matcher(all);
            assertThat(onNode1.find()).as(all).isTrue();
            String colleague = onNode1.group(1);
            String password = pw.group(1);

            sendHtml(base, user); // into node 1, which hands it to node 2

            browser = chromium();
            browser.get(web.get(0));
            login(browser, user, "not-the-password");
            assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("Wrong address or password.");

            login(browser, user, password);
            assertThat(browser.getCurrentUrl()).as("served by node 2, which holds the mailbox")
                    .startsWith(web.get(1) + "mail");
            assertThat(browser.findElement(By.id("user")).getText()).isEqualTo(user);
            assertThat(browser.findElement(By.cssSelector("li.current .unread")).getText()).isEqualTo("1");
            WebElement row = browser.findElement(By.cssSelector("#messages tr.unseen"));
            assertThat(row.findElement(By.className("from")).getText()).contains("Mallory");

            row.findElement(By.cssSelector(".subject a")).click();
            assertThat(browser.findElement(By.id("subject")).getText()).isEqualTo("Quarterly report");
            WebElement body = browser.findElement(By.id("body"));
            assertThat(body.getText()).contains("Hello Alice", "good link").doesNotContain("steal");
            assertThat(body.findElements(By.cssSelector("script, img, iframe, form, input, [onclick]"))).isEmpty();
            assertThat(body.findElement(By.tagName("b")).getText()).isEqualTo("Alice");
            WebElement good = body.findElement(By.linkText("good link"));
            assertThat(good.getAttribute("href")).isEqualTo("https://example.org/report");
            assertThat(good.getAttribute("rel")).contains("noopener", "noreferrer");
            assertThat(body.findElements(By.cssSelector("a[href^='javascript']"))).isEmpty();
            assertThat(browser.getTitle()).doesNotContain("pwned");
            assertThat(browser.findElement(By.id("attachments")).getText()).contains("numbers.csv");

            // A reply to the outside sender is refused (no relay); to a user of the other node it is delivered.
            browser.findElement(By.id("reply")).click();
            WebElement to = browser.findElement(By.id("compose-to"));
            assertThat(to.getAttribute("value")).isEqualTo("mallory@elsewhere.test");
            assertThat(browser.findElement(By.id("compose-subject")).getAttribute("value"))
                    .isEqualTo("Re: Quarterly report");
            browser.findElement(By.id("compose-body")).sendKeys("Thanks, numbers look right.");
            browser.findElement(By.id("compose-send")).click();
            assertThat(browser.findElement(By.id("error")).getText()).contains("cannot be sent from here");
            browser.findElement(By.id("compose-to")).clear();
            browser.findElement(By.id("compose-to")).sendKeys(colleague);
            browser.findElement(By.id("compose-send")).click();
            assertThat(browser.getCurrentUrl()).endsWith("/mail?folder=Sent");
            assertThat(browser.findElement(By.id("messages")).getText()).contains("Re: Quarterly report");
            browser.findElement(By.cssSelector("a[data-folder='INBOX']")).click();
            browser.findElement(By.cssSelector("#messages .subject a")).click();

            browser.findElement(By.id("back")).click();
            assertThat(browser.findElement(By.cssSelector("#messages tbody tr")).getAttribute("class"))
                    .isEqualTo("seen");
            assertThat(browser.findElements(By.cssSelector("li.current .unread"))).isEmpty();

            browser.findElement(By.cssSelector("#messages .subject a")).click();
            browser.findElement(By.id("delete")).click();
            assertThat(browser.findElement(By.id("empty")).getText()).isEqualTo("No messages.");
            browser.findElement(By.cssSelector("a[data-folder='Trash']")).click();
            assertThat(browser.findElement(By.id("messages")).getText()).contains("Quarterly report");

            browser.findElement(By.id("logout")).click();
            assertThat(browser.findElements(By.id("login-user"))).hasSize(1);
            browser.get(web.get(1) + "mail");
            assertThat(browser.findElements(By.id("login-user"))).as("logged out").hasSize(1);
        } finally {
            if (browser != null) {
                browser.quit();
            }
            demo.destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stopped").isTrue();
        }
    }

    private static void login(WebDriver browser, String user, String password) {
        browser.findElement(By.id("login-user")).clear();
        browser.findElement(By.id("login-user")).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    /** An HTML message with everything a sanitiser must take out, and a CSV attachment, over SMTP (Angus Mail). */
    private static void sendHtml(int smtpPort, String to) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(smtpPort));
        Session session = Session.getInstance(p);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("mallory@elsewhere.test", "Mallory"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject("Quarterly report");
        MimeBodyPart html = new MimeBodyPart();
        html.setText("<p onclick=\"document.title='pwned'\">Hello <b>Alice</b></p>"
                + "<script>document.title='pwned'; steal()</script>"
                + "<img src=\"https://tracker.test/p.gif\" onerror=\"document.title='pwned'\">"
                + "<a href=\"javascript:steal()\">bad link</a> <a href=\"https://example.org/report\">good link</a>",
                "utf-8", "html");
        MimeBodyPart csv = new MimeBodyPart();
        csv.setText("a,b\n1,2\n", "utf-8");
        csv.setFileName("numbers.csv");
        m.setContent(new MimeMultipart(html, csv));
        Transport.send(m);
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu");
        options.setAcceptInsecureCerts(true); // the nodes' self-signed certificates
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(5));
        return driver;
    }

    private static List<String> readBanner(Process demo) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
        List<String> banner = new ArrayList<>();
        String line;
        while ((line = out.readLine()) != null && !line.startsWith("Stop with Ctrl-C")) {
            banner.add(line);
        }
        assertThat(line).as(() -> String.join("\n", banner)).isNotNull();
        // keep draining the demo's output, so it never blocks on a full pipe
        Thread.ofVirtual().start(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (java.io.IOException ignored) {
                // the demo ended
            }
        });
        return banner;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
