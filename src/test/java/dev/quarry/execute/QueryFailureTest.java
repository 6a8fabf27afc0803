package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import org.junit.jupiter.api.Test;

import io.netty.channel.ConnectTimeoutException;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class QueryFailureTest {

    @Test
    void whatADatabaseGoingAwayRaisesIsUnavailable() {
        assertThat(QueryFailure.of(new ConnectException("Connection refused: localhost/127.0.0.1:5432")))
                .isEqualTo(QueryFailure.UNAVAILABLE);
        // seen while PostgreSQL shuts down under load: it accepts a connection and resets it
        assertThat(QueryFailure.of(new SocketException("Connection reset"))).isEqualTo(QueryFailure.UNAVAILABLE);
        assertThat(QueryFailure.of(new RuntimeException(new SocketException("Connection reset")))).isEqualTo(QueryFailure.UNAVAILABLE);
        assertThat(QueryFailure.of(new ConnectTimeoutException("connection timed out: /10.0.0.9:5432")))
                .isEqualTo(QueryFailure.UNAVAILABLE);
        // a statement written to a session the server closed as it stopped
        assertThat(QueryFailure.of(new IOException("Broken pipe"))).isEqualTo(QueryFailure.UNAVAILABLE);
        assertThat(QueryFailure.of(ClosedConnectionException.INSTANCE)).isEqualTo(QueryFailure.UNAVAILABLE);
        // a stream's next cursor read, sent as its connection was being closed by the server going away
        assertThat(QueryFailure.of(new NoStackTraceThrowable("Connection is not active now, current status: CLOSED")))
                .isEqualTo(QueryFailure.UNAVAILABLE);
        assertThat(QueryFailure.of(new PgException("terminating connection due to administrator command", "FATAL", "57P01", null)))
                .isEqualTo(QueryFailure.UNAVAILABLE);
        assertThat(QueryFailure.of(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isEqualTo(QueryFailure.UNAVAILABLE);
    }

    @Test
    void aStatementTimeoutIsATimeoutAndOtherStatementFailuresAreErrors() {
        assertThat(QueryFailure.of(new PgException("canceling statement due to statement timeout", "ERROR", "57014", null)))
                .isEqualTo(QueryFailure.TIMEOUT);
        assertThat(QueryFailure.of(new PgException("canceling statement due to user request", "ERROR", "57014", null)))
                .isEqualTo(QueryFailure.ERROR);
        assertThat(QueryFailure.of(new PgException("division by zero", "ERROR", "22012", null))).isEqualTo(QueryFailure.ERROR);
        assertThat(QueryFailure.of(new IllegalStateException("a bug"))).isEqualTo(QueryFailure.ERROR);
    }
}
