package dev.rankcluster.server.dashboard;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.openqa.selenium.WebDriver;

/**
 * Gives tests a {@link WebDriver} parameter: one headless Chromium for the whole run, quit when the run ends.
 * Without the browser, the test class is skipped, or fails in CI.
 */
final class SharedChromium implements BeforeAllCallback, ParameterResolver {

    @Override
    public void beforeAll(ExtensionContext context) {
        HeadlessChromium.assumeInstalled();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == WebDriver.class;
    }

    @Override
    public WebDriver resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // AutoCloseable values of the root store are closed when the whole test run ends.
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .computeIfAbsent(HeadlessChromium.class, key -> HeadlessChromium.start(), HeadlessChromium.class)
                .driver();
    }
}
