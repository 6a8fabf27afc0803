package dev.quarry.blackbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Once a second a client opens an SSE stream of {@code analysis/sales} from 1992 to 1999 on either
 * replica and leaves at a random moment within a second: while its request waits for a connection
 * of the pool, for the dataset's version, for an execution it shares with others, for its first
 * byte, or in the middle of the rows. Over a plain socket, so that it can leave before the headers
 * as well as after. What it saw before leaving is tallied with the load's answers: a 200 or a 503
 * (held against the outage); anything else is wrong.
 */
final class SoakLeavers implements AutoCloseable {

    static final String STREAM = "/queries/analysis/sales?since=1992-01-01&until=1999-01-01";
    private static final int MOST_MILLIS = 1000;

    private final List<URI> replicas;
    private final SoakAnswers answers;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
    private final ExecutorService leavers = Executors.newCachedThreadPool();
    private final LongAdder beforeHeaders = new LongAdder();
    private final LongAdder afterHeaders = new LongAdder();

    private SoakLeavers(List<URI> replicas, SoakAnswers answers) {
        this.replicas = replicas;
        this.answers = answers;
    }

    static SoakLeavers start(List<URI> replicas, SoakAnswers answers) {
        SoakLeavers leaving = new SoakLeavers(replicas, answers);
        leaving.clock.scheduleAtFixedRate(() -> leaving.leavers.submit(leaving::leave), 0, 1, TimeUnit.SECONDS);
        return leaving;
    }

    /** Streams opened and left before their headers arrived. */
    long beforeHeaders() {
        return beforeHeaders.sum();
    }

    /** Streams opened and left after their headers arrived (before or during the rows). */
    long afterHeaders() {
        return afterHeaders.sum();
    }

    private void leave() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        URI replica = replicas.get(random.nextInt(replicas.size()));
        long started = System.nanoTime();
        long leaveAt = started + TimeUnit.MILLISECONDS.toNanos(random.nextInt(MOST_MILLIS + 1));
        StringBuilder head = new StringBuilder();
        try (Socket socket = new Socket(replica.getHost(), replica.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + STREAM + " HTTP/1.1\r\nHost: " + replica.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            for (long left = leaveAt - System.nanoTime(); left > 0; left = leaveAt - System.nanoTime()) {
                socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                int read;
                try {
                    read = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    break;
                }
                if (read < 0) {
                    break;
                }
                if (head.length() < 4096) {
                    head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
            }
        } catch (IOException e) {
            answers.status(SoakAnswers.NO_ANSWER);
            answers.wrong("a leaving stream found no server: " + e);
            return;
        }
        int lineEnd = head.indexOf("\r\n");
        if (lineEnd < 0) {
            beforeHeaders.increment();
            return;
        }
        afterHeaders.increment();
        int status = Integer.parseInt(head.substring(0, lineEnd).split(" ")[1]);
        answers.status(status);
        if (status == 503) {
            int body = head.indexOf("\r\n\r\n");
            answers.unavailable(started, System.nanoTime(), body < 0 ? "" : SoakLoad.title(head.substring(body + 4)));
        } else if (status != 200) {
            answers.wrong(status + " to a leaving stream: " + SoakLoad.abbreviated(head.toString()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        clock.shutdownNow();
        leavers.shutdown();
        if (!leavers.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the leaving streams did not end");
        }
    }
}
