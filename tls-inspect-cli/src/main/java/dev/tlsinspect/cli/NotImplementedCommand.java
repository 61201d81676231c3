package dev.tlsinspect.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** A command that is part of the design but not built yet: {@code explain} and {@code logs}. */
@Command(mixinStandardHelpOptions = true, versionProvider = VersionProvider.class)
final class NotImplementedCommand {
  final String name;

  @Parameters(arity = "0..*", paramLabel = "ARG", description = "Ignored: not implemented yet.")
  List<String> args = new ArrayList<>();

  NotImplementedCommand(String name) {
    this.name = name;
  }
}
