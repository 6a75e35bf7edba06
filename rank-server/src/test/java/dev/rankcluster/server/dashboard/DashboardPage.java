package dev.rankcluster.server.dashboard;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** What a person sees on the dashboard, read through the browser's DOM. */
final class DashboardPage {

    /** How long the page may take to show a change that the server has already made. */
    static final Duration SHOWN_WITHIN = Duration.ofSeconds(2);

    private final WebDriver driver;

    private DashboardPage(WebDriver driver) {
        this.driver = driver;
    }

    static DashboardPage open(WebDriver driver, String url) {
        driver.get(url);
        DashboardPage page = new DashboardPage(driver);
        await("dashboard connected to the events stream").atMost(Duration.ofSeconds(10))
                .until(() -> "live".equals(page.connectionState()) && page.epoch() != null);
        return page;
    }

    String connectionState() {
        return driver.findElement(By.id("connection")).getDomAttribute("data-state");
    }

    String connectionText() {
        return driver.findElement(By.id("connection")).getText();
    }

    Long epoch() {
        String text = driver.findElement(By.id("epoch")).getText();
        return text.matches("\\d+") ? Long.valueOf(text) : null;
    }

    /** Table rows as "rank address", top to bottom, read in one go so that they come from one render. */
    @SuppressWarnings("unchecked")
    List<String> rows() {
        return (List<String>) script("""
                return [...document.querySelectorAll('#ranking-rows tr')]
                    .map(row => row.querySelector('.rank').textContent + ' ' + row.querySelector('.address').textContent);
                """);
    }

    /** Tags every current row element; a row that is rebuilt instead of reused loses the tag. */
    void tagRowElements() {
        script("document.querySelectorAll('#ranking-rows tr').forEach(row => row.dataset.testTag = 'kept');");
    }

    /** Addresses of the rows whose element was tagged by {@link #tagRowElements()}. */
    @SuppressWarnings("unchecked")
    List<String> addressesOfTaggedRows() {
        return (List<String>) script("""
                return [...document.querySelectorAll('#ranking-rows tr[data-test-tag]')]
                    .map(row => row.querySelector('.address').textContent);
                """);
    }

    String lastChangeOf(String address) {
        return rowOf(address).findElement(By.cssSelector(".change")).getText();
    }

    /** The member's link to the server as its row's Link column says it: "session" or "HTTP". */
    String linkOf(String address) {
        return rowOf(address).findElement(By.cssSelector(".link")).getText();
    }

    /** The ranking changes list, newest first: each entry's kind and text, read in one go. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> changeLog() {
        return (List<Map<String, Object>>) script("""
                return [...document.querySelectorAll('#changes > li')].map(item => ({
                    kind: item.dataset.kind,
                    text: item.querySelector('.what').textContent,
                }));
                """);
    }

    /** The command flow, newest first: each entry's id, target, delivered and failed counts from its markup. */
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> commands() {
        return (List<Map<String, Object>>) script("""
                return [...document.querySelectorAll('#command-flow > li')].map(item => ({
                    commandId: item.dataset.commandId,
                    text: item.innerText,
                    targets: item.querySelector('.targets').textContent,
                    delivered: item.querySelector('.delivered').textContent,
                    failed: item.querySelector('.failed').textContent,
                }));
                """);
    }

    void enterAdminToken(String token) {
        WebElement input = driver.findElement(By.id("admin-token"));
        input.clear();
        input.sendKeys(token);
    }

    void remove(String address) {
        driver.findElement(By.cssSelector("button[aria-label='Remove " + address + "']")).click();
    }

    String removalMessage() {
        WebElement message = driver.findElement(By.id("removal-message"));
        return message.isDisplayed() ? message.getText() : "";
    }

    String removalMessageKind() {
        return driver.findElement(By.id("removal-message")).getDomAttribute("data-kind");
    }

    /** Waits until the chart has taken its next one-second sample. */
    void awaitNextChartSecond() {
        int seconds = chartSeconds();
        await("the chart's next second").atMost(Duration.ofSeconds(3)).until(() -> chartSeconds() > seconds);
    }

    private int chartSeconds() {
        String seconds = driver.findElement(By.id("rate-chart")).getDomAttribute("data-seconds");
        return seconds == null ? 0 : Integer.parseInt(seconds);
    }

    boolean offlineBannerShown() {
        return driver.findElement(By.id("offline-banner")).isDisplayed();
    }

    String inRankForOf(String address) {
        return rowOf(address).findElement(By.cssSelector(".held")).getText();
    }

    String lastHeardOf(String address) {
        return rowOf(address).findElement(By.cssSelector(".heard")).getText();
    }

    boolean lastHeardStale(String address) {
        return "true".equals(rowOf(address).findElement(By.cssSelector(".heard")).getDomAttribute("data-stale"));
    }

    /** Whether any Remove button or the admin token field can be seen. */
    boolean removalShown() {
        return driver.findElements(By.cssSelector("#operator, button.remove")).stream().anyMatch(WebElement::isDisplayed);
    }

    String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    /** Cells whose text the browser cuts off (wider than the cell), as "class: text"; member ids are cut on purpose. */
    @SuppressWarnings("unchecked")
    List<String> cutOffCells() {
        return (List<String>) script("""
                return [...document.querySelectorAll('#ranking td, #ranking th')]
                    .filter(cell => !cell.classList.contains('member-id'))
                    .filter(cell => cell.textContent && cell.scrollWidth > cell.clientWidth + 1)
                    .map(cell => cell.className + ': ' + cell.textContent);
                """);
    }

    /** Whether the page is wider than the window: a horizontal scroll bar. */
    boolean scrollsSideways() {
        return (Boolean) script("return document.documentElement.scrollWidth > window.innerWidth;");
    }

    private WebElement rowOf(String address) {
        return driver.findElement(By.xpath("//tbody[@id='ranking-rows']/tr[td[@class='address' and text()='%s']]"
                .formatted(address)));
    }

    private Object script(String code) {
        return ((JavascriptExecutor) driver).executeScript(code);
    }
}
