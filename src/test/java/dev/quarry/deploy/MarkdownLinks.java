package dev.quarry.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the relative links of Markdown files as GitHub resolves them: the target relative to the
 * linking file, inside the repository, and an {@code #anchor} equal to the slug of one of the target's
 * headings. Links and headings inside code (fenced blocks and inline spans) are not links or headings,
 * so they are skipped, as GitHub renders them.
 */
final class MarkdownLinks {

    /** {@code [text](target)} or {@code ![alt](target "title")}; the text may hold one level of brackets. */
    private static final Pattern INLINE = Pattern
            .compile("!?\\[(?:[^\\[\\]]|\\[[^\\]]*\\])*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** {@code [label]: target}, a reference definition at the start of a line. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern ATX_HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

    private final Path root;
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** @param root the repository: no link may leave it */
    MarkdownLinks(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Every relative link of {@code file} that does not resolve, as {@code file:line: link: reason}. */
    List<String> brokenLinks(Path file) {
        Path source = file.toAbsolutePath().normalize();
        List<String> broken = new ArrayList<>();
        List<String> lines = proseLines(source);
        for (int i = 0; i < lines.size(); i++) {
            for (String link : links(lines.get(i))) {
                String reason = problem(source, link);
                if (reason != null) {
                    broken.add(root.relativize(source) + ":" + (i + 1) + ": " + link + ": " + reason);
                }
            }
        }
        return broken;
    }

    /** The files {@code file} links to by a relative link, whether they exist or not. */
    List<Path> linkedFiles(Path file) {
        Path source = file.toAbsolutePath().normalize();
        List<Path> targets = new ArrayList<>();
        proseLines(source).forEach(line -> links(line).stream()
                .filter(link -> !SCHEME.matcher(link).find() && !link.startsWith("/"))
                .forEach(link -> targets.add(target(source, link))));
        return targets;
    }

    private static Path target(Path source, String link) {
        int hash = link.indexOf('#');
        String path = hash < 0 ? link : link.substring(0, hash);
        return path.isEmpty() ? source : source.getParent().resolve(path).normalize();
    }

    private String problem(Path source, String link) {
        if (link.regionMatches(true, 0, "file:", 0, 5)) {
            return "a file: URL, which names a file of one machine; link relative to the file";
        }
        if (SCHEME.matcher(link).find()) {
            return null; // a URL (https:, mailto:): not a file of the repository
        }
        if (link.startsWith("/")) {
            return "an absolute path; link relative to the file";
        }
        int hash = link.indexOf('#');
        String anchor = hash < 0 ? null : link.substring(hash + 1);
        Path target = target(source, link);
        if (!target.startsWith(root)) {
            return "outside the repository";
        }
        if (!Files.exists(target)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        if (!target.getFileName().toString().endsWith(".md")) {
            return "an anchor into a file that is not Markdown";
        }
        if (!anchors.computeIfAbsent(target, MarkdownLinks::headingSlugs).contains(anchor)) {
            return "no heading of " + root.relativize(target) + " has the anchor #" + anchor;
        }
        return null;
    }

    private static List<String> links(String line) {
        String prose = CODE_SPAN.matcher(line).replaceAll("");
        List<String> links = new ArrayList<>();
        Matcher inline = INLINE.matcher(prose);
        while (inline.find()) {
            links.add(inline.group(1));
        }
        Matcher reference = REFERENCE.matcher(prose);
        if (reference.matches()) {
            links.add(reference.group(1));
        }
        return links;
    }

    /** The anchors GitHub gives the headings of a file: each slug once, repeats numbered -1, -2, ... */
    private static Set<String> headingSlugs(Path file) {
        Set<String> slugs = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String line : proseLines(file)) {
            Matcher heading = ATX_HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int repeat = seen.merge(slug, 1, Integer::sum) - 1;
                slugs.add(repeat == 0 ? slug : slug + "-" + repeat);
            }
        }
        return slugs;
    }

    /**
     * GitHub's rule: the heading's rendered text in lower case, every character that is not a letter,
     * a digit, a space, '-' or '_' removed, and spaces turned into '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link shows its text
                .replaceAll("[*`]", "") // emphasis and code marks render as nothing
                .toLowerCase();
        return text.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    /** The file's lines, with the lines of fenced code blocks blanked so that line numbers stay right. */
    private static List<String> proseLines(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> prose = new ArrayList<>(lines.size());
        String fence = null;
        for (String line : lines) {
            Matcher opening = FENCE.matcher(line);
            if (fence == null && opening.find()) {
                fence = opening.group(1);
                prose.add("");
            } else if (fence != null) {
                if (line.strip().startsWith(fence)) {
                    fence = null;
                }
                prose.add("");
            } else {
                prose.add(line);
            }
        }
        return prose;
    }
}
