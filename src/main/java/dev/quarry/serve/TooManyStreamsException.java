package dev.quarry.serve;

/** A stream refused because as many as the server runs at once are in flight (quarry.stream.max-concurrent). */
public class TooManyStreamsException extends RuntimeException {

    TooManyStreamsException(int max) {
        super(max + " streams are in flight, the most this server runs at once (quarry.stream.max-concurrent); try again shortly",
                null, false, false);
    }
}
