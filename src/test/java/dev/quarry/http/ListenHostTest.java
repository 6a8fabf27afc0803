package dev.quarry.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which host the server takes when none is set, and the startup line that says why. */
class ListenHostTest {

    @Test
    void loopbackWhileAuthenticationIsOffEveryInterfaceOnceItIsOn() {
        assertThat(DefaultListenHost.hostFor(false)).isEqualTo("127.0.0.1");
        assertThat(DefaultListenHost.hostFor(true)).isEqualTo("0.0.0.0");
    }

    @Test
    void theLineSaysWhereAndWhy() {
        assertThat(ListenAnnouncement.line("127.0.0.1", 8080, null, false))
                .startsWith("Serving HTTP on 127.0.0.1:8080 (loopback only): authentication is off")
                .contains("QUARKUS_HTTP_HOST=0.0.0.0");
        assertThat(ListenAnnouncement.line("0.0.0.0", 8080, null, true))
                .isEqualTo("Serving HTTP on 0.0.0.0:8080 (every interface): authentication is on");
        assertThat(ListenAnnouncement.line("10.1.2.3", 8080, "quarkus.http.host is set", false))
                .isEqualTo("Serving HTTP on 10.1.2.3:8080: quarkus.http.host is set");
    }
}
