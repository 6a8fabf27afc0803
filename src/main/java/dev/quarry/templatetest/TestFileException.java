package dev.quarry.templatetest;

/** Something wrong in a test file, or in a case against its template, said as {@code file:line: reason}. */
public class TestFileException extends RuntimeException {

    public TestFileException(String source, int line, String reason) {
        super(source + ":" + line + ": " + reason);
    }
}
