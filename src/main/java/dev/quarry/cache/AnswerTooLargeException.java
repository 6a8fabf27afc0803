package dev.quarry.cache;

/** A stream's answer grew past {@code quarry.cache.max-answer-size}: it is streamed to each caller and not kept. */
final class AnswerTooLargeException extends RuntimeException {

    AnswerTooLargeException(long limit) {
        super("the answer is larger than the " + limit + " bytes one kept answer may hold", null, false, false);
    }
}
