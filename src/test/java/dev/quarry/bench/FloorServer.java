package dev.quarry.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The floor of the throughput benchmark: the stack Quarry is built on with nothing on top.
 * A bare Vert.x HTTP server and a Vert.x PostgreSQL pool, set up as Quarry's are by default (the same
 * event loops, pool size, wait bounds, prepared-statement cache and login settings), run one prepared
 * statement per request: {@code orderkey} from the query string is its first value, the other values
 * are fixed. The answer is the rows as a JSON array, written straight from the values. What this
 * serves is what a Quarry that cost nothing would serve. Started by {@code throughput-benchmark.sh};
 * not part of the application.
 *
 * <pre>
 * java -cp target/test-classes:target/quarkus-app/lib/main/* dev.quarry.bench.FloorServer \
 *     HTTP_PORT PG_PORT DATABASE SQL_FILE EVENT_LOOPS POOL_SIZE [OTHER_VALUE ...]
 * </pre>
 */
public final class FloorServer {

    private FloorServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: FloorServer HTTP_PORT PG_PORT DATABASE SQL_FILE EVENT_LOOPS POOL_SIZE [OTHER_VALUE ...]");
            System.exit(2);
        }
        int httpPort = Integer.parseInt(args[0]);
        int pgPort = Integer.parseInt(args[1]);
        String database = args[2];
        String sql = Files.readString(Path.of(args[3])).strip();
        int eventLoops = Integer.parseInt(args[4]);
        int poolSize = Integer.parseInt(args[5]);
        List<Object> otherValues = new ArrayList<>();
        for (int i = 6; i < args.length; i++) {
            otherValues.add(Long.parseLong(args[i]));
        }

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        PgConnectOptions connect = new PgConnectOptions().setHost("127.0.0.1").setPort(pgPort).setDatabase(database)
                .setUser("postgres").setCachePreparedStatements(true)
                // Quarry's default query guard: read-only sessions with the default timeout from login
                .setProperties(Map.of("default_transaction_read_only", "on", "statement_timeout", "30000",
                        "application_name", "quarry-floor"));
        // what Quarkus sets from quarkus.datasource.reactive.* and Quarry's PoolCreator adds
        PoolOptions poolOptions = new PoolOptions().setMaxSize(poolSize).setEventLoopSize(eventLoops)
                .setMaxWaitQueueSize(100).setConnectionTimeout(5000).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
        Pool pool = PgBuilder.pool().with(poolOptions).connectingTo(connect).using(vertx).build();

        // one server instance per event loop, as Quarkus deploys its HTTP server
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                vertx.createHttpServer().requestHandler(request -> lookup(pool, sql, otherValues, request))
                        .listen(httpPort, "127.0.0.1");
            }
        }, new DeploymentOptions().setInstances(eventLoops)).toCompletionStage().toCompletableFuture().get();
        System.out.println("floor listening on 127.0.0.1:" + httpPort);
    }

    private static void lookup(Pool pool, String sql, List<Object> otherValues, HttpServerRequest request) {
        String key = request.getParam("orderkey");
        if (key == null) {
            request.response().setStatusCode(400).end();
            return;
        }
        Tuple values = Tuple.tuple();
        values.addValue(Long.parseLong(key));
        otherValues.forEach(values::addValue);
        pool.preparedQuery(sql).execute(values).onComplete(result -> {
            if (result.succeeded()) {
                request.response().putHeader("content-type", "application/json").end(json(result.result()));
            } else {
                request.response().setStatusCode(500).end(String.valueOf(result.cause().getMessage()));
            }
        });
    }

    /** The rows as a JSON array of objects: numbers as PostgreSQL writes them, everything else as a string. */
    private static String json(RowSet<Row> rows) {
        StringBuilder out = new StringBuilder(256).append("{\"rows\":[");
        boolean firstRow = true;
        for (Row row : rows) {
            out.append(firstRow ? "{" : ",{");
            firstRow = false;
            for (int i = 0; i < row.size(); i++) {
                Object value = row.getValue(i);
                out.append(i == 0 ? "\"" : ",\"").append(row.getColumnName(i)).append("\":");
                if (value == null || value instanceof Number || value instanceof Boolean) {
                    out.append(value);
                } else {
                    out.append('"').append(value.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }
}
