package dev.quarry.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.management.ThreadMXBean;

import dev.quarry.encode.CsvProfile;
import dev.quarry.encode.RowEncoder;
import dev.quarry.encode.ValueText;
import dev.quarry.render.CursorCodec;
import dev.quarry.template.ResultColumn;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * CPU time per row of Quarry's stream encodings, without HTTP or PostgreSQL in the
 * measurement: reads lineitem rows once through the Vert.x PG client as a stream reads them (a
 * prepared statement, binary values), then encodes them again and again in batches of 500 as
 * NDJSON, SSE and CSV, timing the encoding thread's own CPU (ThreadMXBean), which other processes
 * on the machine change much less than they change elapsed time. Run against two builds in turn to
 * compare an encoding change:
 *
 * <pre>
 * java -cp target/test-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/* dev.quarry.bench.EncodeBench PG_PORT DATABASE [ROWS] [ROUNDS]
 * </pre>
 *
 * Prints one line per format: the least and the median ns of CPU per row over the rounds, and each
 * round's, and the bytes the encoding allocated per row, which no other work on the machine changes;
 * then the same for the signed cursor an SSE stream gives each row as its id (the sse line numbers
 * its rows instead), which costs about as much as encoding the row.
 * On a machine shared with other work the rounds are bimodal (other processes on the same
 * core's caches make the same instructions several times slower): the least is the encoding's own cost.
 */
public final class EncodeBench {

    private static final int BATCH = 500;

    private EncodeBench() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String database = args[1];
        int rowCount = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        Vertx vertx = Vertx.vertx();
        Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(port).setDatabase(database).setUser("postgres"))
                .using(vertx).build();
        RowSet<io.vertx.sqlclient.Row> read = pool.preparedQuery("SELECT * FROM lineitem ORDER BY l_orderkey, l_linenumber LIMIT $1")
                .execute(Tuple.of(rowCount)).toCompletionStage().toCompletableFuture().join();
        List<ResultColumn> columns = new ArrayList<>();
        for (int i = 0; i < read.columnsNames().size(); i++) {
            columns.add(new ResultColumn(read.columnsNames().get(i), "text"));
        }
        List<List<Row>> batches = new ArrayList<>();
        List<Row> batch = new ArrayList<>(BATCH);
        for (io.vertx.sqlclient.Row row : read) {
            batch.add(Row.newInstance(row));
            if (batch.size() == BATCH) {
                batches.add(batch);
                batch = new ArrayList<>(BATCH);
            }
        }
        pool.close();
        vertx.close();
        RowEncoder encoder = new RowEncoder(columns);
        int rows = batches.size() * BATCH;
        long[] ordinal = { 0 };
        measure("ndjson", rounds, rows, () -> batches.forEach(b -> sink(encoder.jsonLines(b))));
        measure("sse", rounds, rows, () -> batches.forEach(b -> sink(encoder.events(b, row -> Long.toString(++ordinal[0])))));
        measure("csv", rounds, rows, () -> batches.forEach(b -> sink(encoder.csv(b, CsvProfile.EXACT))));
        CursorCodec.Signer signer = new CursorCodec(new byte[32]).signer("bench/lineitem", "l_orderkey,l_linenumber");
        measure("cursor", rounds, rows, () -> batches.forEach(b -> b.forEach(row -> sink(
                signer.token(List.of(ValueText.of(row.getValue(0)), ValueText.of(row.getValue(3)))).getBytes(StandardCharsets.US_ASCII)))));
        System.out.printf("%,d bytes encoded in all%n", bytes);
    }

    /** What every encoding adds up to: kept, so that the JIT cannot drop an encoding whose result nothing reads. */
    private static long bytes;

    private static void sink(byte[] encoded) {
        bytes += encoded.length;
    }

    private static void measure(String format, int rounds, int rows, Runnable encodeAll) {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 3; i++) { // warm-up: the JIT compiles the encoder
            encodeAll.run();
        }
        long[] perRow = new long[rounds];
        long allocated = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < rounds; i++) {
            long start = threads.getCurrentThreadCpuTime();
            encodeAll.run();
            perRow[i] = (threads.getCurrentThreadCpuTime() - start) / rows;
        }
        allocated = (threads.getCurrentThreadAllocatedBytes() - allocated) / rounds / rows;
        long[] sorted = perRow.clone();
        Arrays.sort(sorted);
        System.out.printf("%-7s %5d bytes allocated/row, least %5d, median %5d ns CPU/row (%d rounds of %d rows: %s)%n", format, allocated,
                sorted[0], sorted[rounds / 2], rounds, rows, Arrays.toString(perRow));
    }
}
