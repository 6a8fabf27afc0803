package dev.quarry.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Events framed as an EventSource reads them: a line break inside the data must not end the field. */
class SseFramesTest {

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void anEventIsItsNameItsDataAndAnEmptyLine() {
        assertThat(text(SseFrames.event("end", "{\"rows\":3}".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("event:end\ndata:{\"rows\":3}\n\n");
    }

    @Test
    void eachLineOfTheDataGetsItsOwnDataField() {
        byte[] data = "{\n\"a\": 1,\r\n\"b\": \"é\"\r}".getBytes(StandardCharsets.UTF_8);
        assertThat(text(SseFrames.event("error", data)))
                .isEqualTo("event:error\ndata:{\ndata:\"a\": 1,\ndata:\"b\": \"é\"\ndata:}\n\n");
    }

    @Test
    void aCommentIsOneLine() {
        assertThat(text(SseFrames.comment("heartbeat"))).isEqualTo(":heartbeat\n\n");
        assertThat(text(SseFrames.comment("two\nlines"))).isEqualTo(":two lines\n\n");
    }
}
