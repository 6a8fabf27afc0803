package dev.quarry.templatetest;

import java.util.List;

/**
 * A template's test file as read: the cases that can run, and those that cannot, each with why.
 *
 * @param source   where it was read from, for messages
 * @param template the name of the template beside it
 */
public record TestFile(String source, String template, List<TestCase> cases, List<BrokenCase> broken) {

    /** A case (or the whole file) that cannot run; {@code reason} reads {@code file:line: reason}. */
    public record BrokenCase(String name, String reason) {
    }
}
