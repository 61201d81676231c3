package dev.tlsinspect.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * An SLF4J {@link org.slf4j.Logger} with every level enabled that keeps what is logged, for tests
 * that check what a component tells its users at DEBUG without configuring (JVM-global) logging.
 *
 * @since 0.1.0
 */
public final class RecordingLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    /**
     * One logged line.
     *
     * @param level the level
     * @param message the formatted message
     * @since 0.1.0
     */
    public record Line(Level level, String message) {}

    private final transient List<Line> lines = Collections.synchronizedList(new ArrayList<>());

    /**
     * A logger with a name.
     *
     * @param name the name
     * @since 0.1.0
     */
    public RecordingLogger(String name) {
        this.name = name;
    }

    /**
     * What was logged so far.
     *
     * @return the lines, oldest first
     * @since 0.1.0
     */
    public List<Line> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * The messages logged at one level.
     *
     * @param level the level
     * @return the messages, oldest first
     * @since 0.1.0
     */
    public List<String> messages(Level level) {
        return lines().stream().filter(l -> l.level() == level).map(Line::message).toList();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern,
            Object[] arguments, Throwable throwable) {
        lines.add(new Line(level, MessageFormatter.basicArrayFormat(messagePattern, arguments)));
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }
}
