package dev.flagsync.localstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Starts a child in a session of its own with util-linux's {@code setsid}, which then execs the
 * command in place (same pid). Ctrl-C in a terminal signals the whole foreground process group at
 * once; a child outside it is stopped only by its parent, in the order the parent chooses.
 * Where there is no setsid the command runs as it is, in the parent's group.
 */
final class OwnSession {

    private static final Optional<Path> SETSID = find("setsid");

    private OwnSession() {
    }

    static List<String> command(List<String> command) {
        if (SETSID.isEmpty()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(command.size() + 1);
        wrapped.add(SETSID.get().toString());
        wrapped.addAll(command);
        return wrapped;
    }

    private static Optional<Path> find(String executable) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/bin", "/bin"))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
