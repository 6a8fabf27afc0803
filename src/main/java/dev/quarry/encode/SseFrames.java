package dev.quarry.encode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-Sent Events framed as bytes, as an EventSource parses them: {@code field:value} lines, an
 * empty line after each event, {@code :} before a comment. Rows are framed by
 * {@link RowEncoder#events}, many events to one buffer.
 */
public final class SseFrames {

    private SseFrames() {
    }

    /** {@code event:name}, then {@code data:} before each line of the data (a line break would end the field). */
    public static byte[] event(String name, byte[] data) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(data.length + name.length() + 16);
        frame.writeBytes(("event:" + name + "\ndata:").getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < data.length; i++) {
            byte b = data[i];
            if (b == '\r' || b == '\n') {
                if (b == '\r' && i + 1 < data.length && data[i + 1] == '\n') {
                    i++;
                }
                frame.writeBytes("\ndata:".getBytes(StandardCharsets.US_ASCII));
            } else {
                frame.write(b);
            }
        }
        frame.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        return frame.toByteArray();
    }

    /** {@code :text}, which an EventSource ignores: a heartbeat that keeps proxies from closing the connection. */
    public static byte[] comment(String text) {
        return (":" + text.replaceAll("[\r\n]", " ") + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
