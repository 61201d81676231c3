package dev.tlsinspect.cli;

/**
 * A mistake of the user's (bad arguments, an unavailable feature): reported as one line, optionally
 * followed by a pointer to {@code --help}, with exit status 3 and never a stack trace.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean showUsage;

  UsageException(String message, boolean showUsage) {
    super(message, null, false, false);
    this.showUsage = showUsage;
  }

  /** A bad argument: the line and then "Try 'tls-inspect --help'". */
  static UsageException badArgument(String message) {
    return new UsageException(message, true);
  }

  /** Something the arguments ask for that this build cannot do: the line only. */
  static UsageException unavailable(String message) {
    return new UsageException(message, false);
  }

  boolean showUsage() {
    return showUsage;
  }
}
