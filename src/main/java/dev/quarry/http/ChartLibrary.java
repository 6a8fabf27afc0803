package dev.quarry.http;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Properties;

import dev.quarry.util.ClasspathText;

/**
 * Where the explorer's chart library, ECharts, is served: a path in its webjar that holds the
 * version the build put on the classpath (the pom's {@code echarts.version}), read from the
 * webjar's own Maven properties. The page is given this path, so it names no version of its own,
 * and a browser may keep what the path served for as long as it likes: another version has another path.
 */
final class ChartLibrary {

    private static final String PROPERTIES = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    private ChartLibrary() {
    }

    static String path() {
        Properties webjar = new Properties();
        try {
            webjar.load(new StringReader(ClasspathText.read(PROPERTIES)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "/webjars/echarts/" + webjar.getProperty("version") + "/dist/echarts.esm.min.js";
    }
}
