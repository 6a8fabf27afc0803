package dev.quarry.dataset;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * Work done inside the transaction that publishes a dataset, after its tables are in place and before
 * the commit: what is built here appears to readers with the dataset, never with another version of it.
 * Handed to the loader by the layers above it, which the loader knows nothing of.
 */
@FunctionalInterface
public interface PublishStep {

    /** Nothing beside the dataset. */
    PublishStep NONE = (connection, progress) -> {};

    /**
     * Runs in the publish transaction on {@code connection}; a failure thrown here rolls the whole
     * publication back, so a step that may fail on its own keeps its failure to itself.
     */
    void publish(Connection connection, Consumer<String> progress) throws SQLException;
}
