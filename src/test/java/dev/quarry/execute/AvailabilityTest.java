package dev.quarry.execute;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dependency's outage is two lines whatever the attempts around it: the first that finds it away, the first begun after that which
 * succeeds.
 */
class AvailabilityTest {

    private static final String LOGGER = "dev.quarry.execute.AvailabilityTest.dependency";

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Availability postgres = new Availability(Logger.getLogger(LOGGER), Logger.Level.ERROR, "PostgreSQL",
            "queries answer 503 until it is back", failure -> failure instanceof ConnectException);

    @BeforeEach
    void capture() {
        java.util.logging.Logger.getLogger(LOGGER).addHandler(capture);
    }

    @AfterEach
    void release() {
        java.util.logging.Logger.getLogger(LOGGER).removeHandler(capture);
    }

    @Test
    void manyFailuresAndSuccessesOfAnOutageAreOneLineWhenItBeginsAndOneWhenItEnds() {
        Availability.Attempt before = postgres.attempt();
        before.ended(null);
        assertThat(logged).as("an answer while all is well").isEmpty();

        List<Availability.Attempt> during = List.of(postgres.attempt(), postgres.attempt(), postgres.attempt());
        during.forEach(attempt -> attempt.ended(new ConnectException("Connection refused")));
        postgres.attempt().ended(new ConnectException("Connection refused"));
        assertThat(messages()).containsExactly("PostgreSQL did not answer (Connection refused): queries answer 503 until it is back");
        assertThat(logged.get(0).getLevel().getName()).isEqualTo("ERROR");

        List<Availability.Attempt> after = List.of(postgres.attempt(), postgres.attempt());
        after.forEach(attempt -> attempt.ended(null));
        assertThat(messages()).hasSize(2).last().asString().startsWith("PostgreSQL answers again, after ");
        assertThat(logged.get(1).getLevel().getName()).isEqualTo("INFO");
    }

    @Test
    void anAnswerBegunBeforeTheOutageDoesNotEndItNorALateFailureBegunBeforeTheReturnStartAnother() {
        Availability.Attempt slowAnswer = postgres.attempt();
        postgres.attempt().ended(new ConnectException("Connection refused"));
        slowAnswer.ended(null);
        assertThat(messages()).as("an answer that was on its way when PostgreSQL went").hasSize(1);

        Availability.Attempt lateFailure = postgres.attempt();
        postgres.attempt().ended(null);
        lateFailure.ended(new ConnectException("Connection refused"));
        assertThat(messages()).as("a failure of an attempt begun while it was away").hasSize(2);

        postgres.attempt().ended(new ConnectException("Connection refused"));
        assertThat(messages()).as("a second outage").hasSize(3).last().asString().startsWith("PostgreSQL did not answer");
    }

    @Test
    void failuresThatSayNothingOfReachabilityAreNotAnOutage() {
        postgres.attempt().ended(new IllegalStateException("syntax error at or near \"SELEC\""));
        assertThat(logged).isEmpty();
    }

    private List<String> messages() {
        return logged.stream().map(record -> ((ExtLogRecord) record).getFormattedMessage()).toList();
    }
}
