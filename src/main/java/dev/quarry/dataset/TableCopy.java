package dev.quarry.dataset;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;

/** Generates one part of a TPC-H table and streams it into the staging schema with COPY. */
final class TableCopy {

    private static final int FLUSH_BYTES = 1 << 20;

    private TableCopy() {
    }

    /**
     * dbgen's line format ({@code a|b|c|}) is PostgreSQL's text COPY format with '|' as delimiter once
     * the trailing delimiter is cut: the generated text never holds a '|' or a backslash.
     */
    static <E extends TpchEntity> void copy(Connection connection, TpchTable<E> table, ScaleFactor scale,
            int part, int partCount, AtomicLong rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY quarry_load." + table.getTableName() + " FROM STDIN (DELIMITER '|')");
        try {
            StringBuilder buffer = new StringBuilder(FLUSH_BYTES + 1024);
            long pending = 0;
            for (E entity : table.createGenerator(scale.asDouble(), part, partCount)) {
                String line = entity.toLine();
                buffer.append(line, 0, line.length() - 1).append('\n');
                pending++;
                if (buffer.length() >= FLUSH_BYTES) {
                    write(copy, buffer);
                    rows.addAndGet(pending);
                    pending = 0;
                }
            }
            write(copy, buffer);
            rows.addAndGet(pending);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void write(CopyIn copy, StringBuilder buffer) throws SQLException {
        byte[] bytes = buffer.toString().getBytes(StandardCharsets.US_ASCII);
        copy.writeToCopy(bytes, 0, bytes.length);
        buffer.setLength(0);
    }
}
