package dev.quarry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Server-Sent Events client over a plain socket, parsing the stream as a browser's EventSource
 * does (fields, blank line ends an event, ':' lines are comments), and able to hang up mid-stream.
 */
public final class SseClient implements AutoCloseable {

    public record Event(String name, String id, String data) {
    }

    private final Socket socket;
    private final BufferedReader in;
    public final List<String> comments = new ArrayList<>();
    public final int status;
    public final String contentType;

    public SseClient(URL base, String pathAndQuery) throws IOException {
        this(base, pathAndQuery, null);
    }

    /** @param lastEventId sent as Last-Event-ID, as a reconnecting EventSource does */
    public SseClient(URL base, String pathAndQuery, String lastEventId) throws IOException {
        socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\nAccept: text/event-stream\r\n"
                + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        status = Integer.parseInt(in.readLine().split(" ")[1]);
        String type = null;
        boolean chunked = false;
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            String lower = header.toLowerCase();
            if (lower.startsWith("content-type:")) {
                type = header.substring("content-type:".length()).strip();
            }
            chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
        }
        contentType = type;
        this.chunked = chunked;
    }

    private final boolean chunked;
    private int chunkLeft;

    /** The next event, or null when the stream ended. */
    public Event next() throws IOException {
        String name = "message";
        String id = null;
        StringBuilder data = null;
        for (String line = line(); line != null; line = line()) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name, id, data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "id" -> id = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> {
                }
            }
        }
        return null;
    }

    /** All remaining events. */
    public List<Event> rest() throws IOException {
        List<Event> events = new ArrayList<>();
        for (Event event = next(); event != null; event = next()) {
            events.add(event);
        }
        return events;
    }

    /** Reads a line of the body, undoing chunked transfer encoding. */
    private String line() throws IOException {
        if (!chunked) {
            return in.readLine();
        }
        StringBuilder line = new StringBuilder();
        while (true) {
            if (chunkLeft == 0) {
                String size = in.readLine();
                if (size == null) {
                    return line.isEmpty() ? null : line.toString();
                }
                if (size.isEmpty()) {
                    size = in.readLine();
                }
                chunkLeft = Integer.parseInt(size.strip(), 16);
                if (chunkLeft == 0) {
                    return line.isEmpty() ? null : line.toString();
                }
            }
            int c = in.read();
            if (c < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            chunkLeft -= String.valueOf((char) c).getBytes(StandardCharsets.UTF_8).length;
            if (c == '\n') {
                return line.toString();
            }
            line.append((char) c);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
