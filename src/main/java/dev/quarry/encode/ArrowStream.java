package dev.quarry.encode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.util.List;
import java.util.Map;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

import dev.quarry.template.ResultColumn;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Rows of one result as an Apache Arrow IPC stream: the schema ({@link #schema}), then a record
 * batch per batch of rows the cursor read ({@link #batch}), then the end-of-stream marker
 * ({@link #END}). A stream that fails after its schema ends with {@link #broken} instead of the
 * marker: a message cut short, which every Arrow reader reports as an error. The column vectors are allocated once per stream and
 * refilled for every batch, off the heap, so a stream's memory is one batch whatever its length;
 * {@link #close} frees them.
 */
public final class ArrowStream implements AutoCloseable {

    /** The end-of-stream marker: a continuation token and a zero length. */
    public static final byte[] END = endOfStream();

    /** Whether Arrow can reach its memory: java.nio must be opened to it (the JVM's --add-opens). */
    public static final boolean USABLE = Object.class.getModule().isOpen("java.nio", ArrowStream.class.getModule());
    /** How to make it usable, for the problem a request gets when it is not. */
    public static final String JVM_OPTION = "--add-opens=java.base/java.nio=ALL-UNNAMED";

    /** One allocator for every stream, each taking a child of it for its vectors; created by the first stream. */
    private static final class Root {
        static final BufferAllocator ALLOCATOR = new RootAllocator();
    }

    private final BufferAllocator allocator;
    private final VectorSchemaRoot root;
    private final List<ArrowColumn> columns;
    private final byte[] schema;
    /** The last batch's length: the next one's buffer starts at about that size instead of growing from a small one. */
    private int lastBatchLength = 1024;
    private boolean closed;

    /** @param metadata the schema's key-value metadata: what the stream is (the template, its description) */
    public ArrowStream(List<ResultColumn> resultColumns, Map<String, String> metadata) {
        this.columns = resultColumns.stream().map(ArrowColumn::of).toList();
        List<Field> fields = columns.stream().map(ArrowColumn::field).toList();
        Schema arrowSchema = new Schema(fields, metadata);
        this.allocator = Root.ALLOCATOR.newChildAllocator("arrow-stream", 0, Long.MAX_VALUE);
        this.root = VectorSchemaRoot.create(arrowSchema, allocator);
        this.schema = write(out -> MessageSerializer.serialize(out, arrowSchema, IpcOption.DEFAULT));
    }

    /** The stream's first message: its schema. */
    public byte[] schema() {
        return schema.clone();
    }

    /** One record batch of the rows. */
    public synchronized byte[] batch(Iterable<Row> rows) {
        if (closed) {
            throw new IllegalStateException("the Arrow stream is closed");
        }
        List<FieldVector> vectors = root.getFieldVectors();
        vectors.forEach(FieldVector::reset);
        int count = 0;
        for (Row row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                columns.get(i).set(vectors.get(i), count, row.getValue(i));
            }
            count++;
        }
        root.setRowCount(count);
        try (ArrowRecordBatch batch = new VectorUnloader(root).getRecordBatch()) {
            byte[] message = write(lastBatchLength + lastBatchLength / 8,
                    out -> MessageSerializer.serialize(out, batch, IpcOption.DEFAULT));
            lastBatchLength = message.length;
            return message;
        }
    }

    /**
     * The last bytes of a stream that failed: a message's continuation token and a length longer
     * than what follows, then the problem's text. A reader fails on it (the message is cut short)
     * wherever the HTTP response itself ended cleanly; a person reading the bytes sees why.
     */
    public static byte[] broken(byte[] problem) {
        ByteBuffer message = ByteBuffer.allocate(8 + problem.length).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(-1).putInt(problem.length + 8).put(problem);
        return message.array();
    }

    /** Frees the vectors; a batch still being written finishes first. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            root.close();
            allocator.close();
        }
    }

    private interface Message {
        void write(WriteChannel out) throws IOException;
    }

    private static byte[] write(Message message) {
        return write(256, message);
    }

    private static byte[] write(int expectedLength, Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(expectedLength);
        try (WriteChannel out = new WriteChannel(Channels.newChannel(bytes))) {
            message.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] endOfStream() {
        return write(out -> ArrowStreamWriter.writeEndOfStream(out, IpcOption.DEFAULT));
    }
}
