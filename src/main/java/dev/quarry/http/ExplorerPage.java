package dev.quarry.http;

import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * The explorer is one static page ({@code META-INF/resources/index.html}) that reads its location:
 * {@code /} is the catalog, {@code /explore/{template}?{query}} one template. Template names hold
 * slashes, so every path under {@code /explore/} is answered with that same page; the page itself
 * talks only to the public API under {@code /queries}.
 */
public class ExplorerPage {

    void route(@Observes Router router) {
        router.get("/explore/*").handler(context -> context.reroute("/index.html"));
    }
}
