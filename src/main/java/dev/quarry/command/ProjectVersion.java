package dev.quarry.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** The version the build put into {@code version.properties} beside this class (Maven filters that one resource). */
final class ProjectVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        try (InputStream in = ProjectVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing beside " + ProjectVersion.class.getName());
            }
            Properties properties = new Properties();
            properties.load(in);
            return new String[] { "quarry " + properties.getProperty("version") };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
