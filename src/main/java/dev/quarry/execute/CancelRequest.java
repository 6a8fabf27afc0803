package dev.quarry.execute;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.pgclient.PgConnection;

/**
 * PostgreSQL's cancel request, done only once the server has acted on it.
 * <p>
 * A cancel request goes on a connection of its own and names a backend process, not a statement.
 * Vert.x's {@link PgConnection#cancelRequest()} completes as soon as the request is written, so the
 * signal can reach the backend after the statement it was meant for has ended and the connection has
 * gone back to the pool: it then stops the next client's statement (ClientStormTest saw it). The
 * server closes the request's connection only after it has signalled the backend, so waiting for that
 * close orders the signal before anything sent next on the session, and a backend that has
 * finished its statement by then drops the cancel while it waits for its next message.
 */
final class CancelRequest {

    /** The protocol's CancelRequest code: 1234 in the high 16 bits, 5678 in the low. */
    private static final int CANCEL_REQUEST_CODE = 80877102;
    /** Past this, the request is taken as delivered: a server that keeps it open has read it. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final Vertx vertx;
    private final NetClient client;
    private final SocketAddress server;

    CancelRequest(Vertx vertx, SocketAddress server) {
        this.vertx = vertx;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(Math.toIntExact(CLOSE_WAIT_MILLIS)));
        this.server = server;
    }

    /** Cancels what the connection's backend runs now; Vert.x's own request when the server cannot be reached this way. */
    Future<Void> send(PgConnection connection) {
        return send(connection.processId(), connection.secretKey()).recover(failure -> connection.cancelRequest());
    }

    private Future<Void> send(int processId, int secretKey) {
        return client.connect(server).compose(socket -> {
            Promise<Void> acted = Promise.promise();
            long timer = vertx.setTimer(CLOSE_WAIT_MILLIS, ignored -> {
                acted.tryComplete();
                socket.close();
            });
            socket.closeHandler(ignored -> {
                vertx.cancelTimer(timer);
                acted.tryComplete();
            });
            socket.exceptionHandler(ignored -> {}); // the close that follows completes the request
            socket.write(Buffer.buffer(16).appendInt(16).appendInt(CANCEL_REQUEST_CODE).appendInt(processId).appendInt(secretKey));
            return acted.future();
        });
    }
}
