package dev.quarry.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.event.Observes;

import dev.quarry.cache.Sha256;
import dev.quarry.util.ClasspathText;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.impl.MimeMapping;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The explorer is one page that reads its location: {@code /} is the catalog,
 * {@code /explore/{template}?{query}} one template. Template names hold slashes, so every path under
 * {@code /explore/} is answered with that same page; the page itself talks only to the public API
 * under {@code /queries}. Its scripts, style and icon are static files under
 * {@code META-INF/resources/} ({@code /explorer/...}, {@code /favicon.svg}); the chart library comes
 * from its webjar ({@code /webjars/...}).
 * <p>
 * The page is served from here, not as a static file, because it is given the chart library's
 * versioned path ({@link ChartLibrary}). The page and the explorer's own files are answered with
 * {@code Cache-Control: no-cache} and an entity tag of their bytes, so a browser asks each time, gets
 * a 304 while nothing changed, and never runs an old page against a newer API after an upgrade; the
 * webjar's paths carry its version and keep their long caching. Every one of them is sent with a
 * Content-Security-Policy that lets the page run only its own scripts and styles and talk only to
 * this service (it holds a bearer token), and with {@code nosniff} and no framing.
 */
public class ExplorerPage {

    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
    private static final String PAGE = "explorer/page.html";
    private static final String CHART_LIBRARY = "{chart-library}";
    /** The explorer's own static files: revalidated on each use, unlike the webjar's versioned ones. */
    private static final String OWN_FILES = "^/(explorer/[\\w.-]+|favicon\\.svg)$";

    /** The entity tag of each of the explorer's own static files, read once: they do not change while the service runs. */
    private final Map<String, Optional<String>> fileTags = new ConcurrentHashMap<>();

    void route(@Observes Router router) {
        byte[] filled = ClasspathText.read(PAGE).replace(CHART_LIBRARY, ChartLibrary.path()).getBytes(StandardCharsets.UTF_8);
        String pageTag = Sha256.entityTag(filled);
        for (String path : new String[] { "/", "/explore/*" }) {
            router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(context -> {
                HttpServerResponse response = context.response();
                revalidated(secured(response), pageTag);
                if (AnswerHeaders.matches(context.request().getHeader(HttpHeaders.IF_NONE_MATCH), pageTag)) {
                    response.setStatusCode(304).end();
                    return;
                }
                // Vert.x leaves a HEAD answer's length out unless it is given
                response.putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=UTF-8")
                        .putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(filled.length));
                if (context.request().method() == HttpMethod.HEAD) {
                    response.end();
                } else {
                    response.end(Buffer.buffer(filled));
                }
            });
        }
        // before the static files' handler, which answers them (GET and HEAD, 304 on a matching tag) and sets its own caching
        router.routeWithRegex(OWN_FILES).order(-1).handler(context -> {
            Optional<String> fileTag = fileTags.computeIfAbsent(context.normalizedPath(), ExplorerPage::fileTag);
            staticFile(context, fileTag);
        });
        router.route("/webjars/*").order(-1).handler(context -> staticFile(context, Optional.empty()));
    }

    /** Lets the static files' handler answer, with the explorer's headers on its answer. */
    private static void staticFile(RoutingContext context, Optional<String> ownTag) {
        // set before it answers: the static files' handler compares If-None-Match with the answer's tag
        ownTag.ifPresent(tag -> context.response().putHeader(HttpHeaders.ETAG, tag));
        context.addHeadersEndHandler(ended -> {
            HttpServerResponse response = secured(context.response());
            ownTag.ifPresent(tag -> revalidated(response, tag));
            // the static files' handler gives a HEAD answer no type; GET's is this one
            if (context.request().method() == HttpMethod.HEAD && response.getStatusCode() == 200
                    && !response.headers().contains(HttpHeaders.CONTENT_TYPE)) {
                String type = MimeMapping.getMimeTypeForFilename(context.normalizedPath());
                if (type != null) {
                    response.putHeader(HttpHeaders.CONTENT_TYPE, type.startsWith("text") ? type + ";charset=UTF-8" : type);
                }
            }
        });
        context.next();
    }

    private static HttpServerResponse secured(HttpServerResponse response) {
        return response.putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY");
    }

    private static void revalidated(HttpServerResponse response, String tag) {
        response.putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").putHeader(HttpHeaders.ETAG, tag);
    }

    /** Of a file under {@code META-INF/resources}, if there is one: all of the explorer's are text (scripts, style, an SVG). */
    private static Optional<String> fileTag(String path) {
        String name = "META-INF/resources" + path;
        return ExplorerPage.class.getClassLoader().getResource(name) == null ? Optional.empty()
                : Optional.of(Sha256.entityTag(ClasspathText.read(name).getBytes(StandardCharsets.UTF_8)));
    }
}
