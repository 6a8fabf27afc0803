package dev.quarry.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link and anchor of README.md and the pages under src/site/markdown resolves, as
 * GitHub resolves it, and none leaves the repository: a page moved, renamed or retitled breaks this
 * build, not a reader's click.
 */
class DocLinksTest {

    private static final Path SITE = Path.of("src/site/markdown");

    @Test
    void everyRelativeLinkAndAnchorOfTheDocsResolves() throws IOException {
        List<Path> pages = pages(Path.of("."));
        assertThat(pages).as("README.md and the topic pages").contains(Path.of("README.md"), SITE.resolve("architecture.md"));
        MarkdownLinks links = new MarkdownLinks(Path.of("."));
        List<String> broken = new ArrayList<>();
        pages.forEach(page -> broken.addAll(links.brokenLinks(page)));
        assertThat(broken).isEmpty();
    }

    @Test
    void everyTopicPageIsReachableFromTheReadme() throws IOException {
        MarkdownLinks links = new MarkdownLinks(Path.of("."));
        Set<Path> unreached = new TreeSet<>();
        pages(Path.of(".")).forEach(page -> unreached.add(page.toAbsolutePath().normalize()));
        Deque<Path> next = new ArrayDeque<>(List.of(Path.of("README.md").toAbsolutePath()));
        while (!next.isEmpty()) {
            Path page = next.pop();
            if (unreached.remove(page)) {
                next.addAll(links.linkedFiles(page));
            }
        }
        assertThat(unreached).as("pages no link leads to from README.md").isEmpty();
    }

    @Test
    void brokenLinksAndAnchorsAreFoundWithTheirLine(@TempDir Path repository) throws IOException {
        Path docs = Files.createDirectories(repository.resolve("docs"));
        Files.writeString(docs.resolve("target.md"), """
                # The API: pages, streams & errors

                ## Where a lookup's CPU goes

                ## `_sort` and counts

                ## Where a lookup's CPU goes
                """);
        Files.writeString(docs.resolve("page.md"), """
                Good: [a](target.md), [b](target.md#the-api-pages-streams--errors), [c](target.md#where-a-lookups-cpu-goes),
                [d](target.md#_sort-and-counts), [e](target.md#where-a-lookups-cpu-goes-1), [f](#top), [g](https://example.com/x#y).

                # Top

                ```
                [in a code block](missing.md)
                ```
                and `[in code](missing.md)` are not links.
                [missing file](missing.md) [missing anchor](target.md#nowhere) [outside](../../outside.md)
                [absolute](/etc/passwd) [repeat that does not exist](target.md#where-a-lookups-cpu-goes-2) [url](file:///etc/passwd)
                [ref]: target.md#nor-here
                """);

        List<String> broken = new MarkdownLinks(repository).brokenLinks(docs.resolve("page.md"));

        assertThat(broken).containsExactly(
                "docs/page.md:10: missing.md: no such file",
                "docs/page.md:10: target.md#nowhere: no heading of docs/target.md has the anchor #nowhere",
                "docs/page.md:10: ../../outside.md: outside the repository",
                "docs/page.md:11: /etc/passwd: an absolute path; link relative to the file",
                "docs/page.md:11: target.md#where-a-lookups-cpu-goes-2: no heading of docs/target.md has the anchor "
                        + "#where-a-lookups-cpu-goes-2",
                "docs/page.md:11: file:///etc/passwd: a file: URL, which names a file of one machine; link relative to the file",
                "docs/page.md:12: target.md#nor-here: no heading of docs/target.md has the anchor #nor-here");
    }

    @Test
    void anchorsFollowGitHubsSlugs() {
        assertThat(MarkdownLinks.slug("Benchmark: throughput and the floor")).isEqualTo("benchmark-throughput-and-the-floor");
        assertThat(MarkdownLinks.slug("The layout, made by `load`")).isEqualTo("the-layout-made-by-load");
        assertThat(MarkdownLinks.slug("2026-12-04, under load")).isEqualTo("2026-12-04-under-load");
        assertThat(MarkdownLinks.slug("Use [Redis](redis.md) — or not")).isEqualTo("use-redis--or-not");
        assertThat(MarkdownLinks.slug("Änderungen über 1.0x")).isEqualTo("änderungen-über-10x");
    }

    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md").normalize()));
        try (Stream<Path> site = Files.walk(root.resolve(SITE))) {
            site.filter(path -> path.toString().endsWith(".md")).map(Path::normalize).sorted().forEach(pages::add);
        }
        return pages;
    }
}
