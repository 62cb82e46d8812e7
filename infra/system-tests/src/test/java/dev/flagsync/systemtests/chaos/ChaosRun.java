package dev.flagsync.systemtests.chaos;

import dev.flagsync.localstack.LoadAverage;
import com.zaxxer.hikari.HikariDataSource;
import dev.flagsync.shared.config.DatabaseConfig;
import dev.flagsync.shared.db.Databases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * bin/chaos: the whole stack on loopback, a writer committing changes to several environments,
 * readers polling over HTTP and SSE clients, while faults are injected one after another (Redis
 * killed, Kafka restarted, the worker killed, PostgreSQL restarted, poison messages, a rebalance).
 * Each phase lasts until every change committed up to its end has reached readers. At the end,
 * Redis, the API and every stream must hold exactly what PostgreSQL holds, and every committed
 * transaction must be on the change topic. Prints the figures; exits 1 if a change was lost or a
 * valid read failed.
 */
public final class ChaosRun {

    private final ChaosOptions options;
    private final ChaosStack stack;
    private final List<String> environments;
    private final Ledger ledger = new Ledger();
    private final Sightings sightings;
    private Phases phases;

    /** A fault: what breaks it, what mends it, and what else must hold before its phase ends. */
    private record Fault(String name, String what, Runnable inject, Runnable restore, Supplier<Optional<String>> settled) {
        Fault(String name, String what, Runnable inject, Runnable restore) {
            this(name, what, inject, restore, Optional::empty);
        }
    }

    private ChaosRun(ChaosOptions options, ChaosStack stack) {
        this.options = options;
        this.stack = stack;
        this.environments = options.environmentNames();
        this.sightings = new Sightings(environments);
    }

    public static void main(String[] args) {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("chaos: " + e.getMessage() + "\n" + ChaosOptions.USAGE);
            System.exit(2);
            return;
        }
        ChaosStack stack = new ChaosStack(options.logs());
        // Ctrl-C, or any exit: the apps, then the servers, then the data folder.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!stack.isClosed()) {
                System.out.println("chaos: stopping the API, the workers and the servers, deleting the data");
            }
            stack.close();
        }, "chaos-shutdown"));
        int status;
        try {
            status = new ChaosRun(options, stack).run();
        } catch (RuntimeException e) {
            if (stack.isClosed()) {
                // Ctrl-C: the shutdown hook is closing the stack under the run, whose next step fails.
                System.err.println("chaos: stopped before the end (" + e.getMessage() + "); no table");
                status = 130;
            } else {
                System.err.println("chaos: the run failed: " + e);
                e.printStackTrace();
                status = 1;
            }
        } finally {
            stack.close();
        }
        System.exit(status);
    }

    private int run() {
        clearLogs();
        System.out.printf("chaos run %s, %d cores, load average %.2f; %s%n",
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                Runtime.getRuntime().availableProcessors(), LoadAverage.oneMinute(), options);
        stack.startServers(this::seed);
        stack.startApps();
        say("stack ready");
        phases = new Phases("warm-up");
        Writer writer = new Writer(stack.postgres(), environments, options.rate(), ledger, () -> phases.index()).start();
        Readers readers = new Readers(this::snapshotUri, environments, options.readers(), options.readRate(), phases,
                sightings).start();
        SseClients streams = new SseClients(this::streamUri, environments, options.sseClients(), phases, sightings).start();
        Thread liveness = Thread.ofPlatform().daemon().name("liveness").start(this::sampleLiveness);
        Topics topics = new Topics(stack.kafka().bootstrapServers());
        int[] poisoned = new int[1];
        // The first seconds after a start are slower (JIT, first connections); the baseline comes after them.
        hold();
        phases.current().restoredNanos = System.nanoTime();
        phases.current().caughtUp = true;
        finish(phases.current());
        List<Fault> faults = List.of(
                new Fault("baseline", "no fault", () -> { }, () -> { }),
                new Fault("redis-kill", "SIGKILL of redis-server; started again on its port after the hold",
                        stack.redis()::kill, stack::startRedis),
                new Fault("kafka-restart", "the KRaft broker stopped; started again on its port and logs after the hold",
                        stack.kafka()::stop, stack.kafka()::start),
                new Fault("worker-kill", "kill -9 of the worker (capture and sync); a new one started after the hold",
                        stack::killWorker, stack::startWorker),
                new Fault("postgres-restart", "PostgreSQL stopped (fast shutdown); started again on its port and data"
                        + " after the hold", stack.postgres()::stop, stack::startPostgres),
                new Fault("poison-message", "one unparseable record produced onto each partition of the change topic",
                        () -> poisoned[0] = topics.sendPoison(), () -> { }, () -> topics.poisonNotDeadLettered(poisoned[0])
                        .or(() -> {
                            phases.current().notes.put("dead letters", poisoned[0] + " of " + poisoned[0]
                                    + " poison messages on " + ChaosStack.DEAD_LETTER_TOPIC + " with their reason");
                            return Optional.empty();
                        })),
                new Fault("rebalance", "a second worker (WORKER_ROLES=sync) joins the group, ready; it leaves"
                        + " (SIGTERM) after the hold", stack::startSecondWorker, stack::stopSecondWorker));
        for (Fault fault : faults) {
            runPhase(fault);
        }
        Phase end = phases.begin("writer stopped");
        say("== writer stopped: waiting until Redis, the API and every stream hold what PostgreSQL holds");
        writer.close();
        end.restoredNanos = System.nanoTime();
        List<String> differences;
        try (Convergence convergence = new Convergence(stack, this::snapshotUri)) {
            differences = awaitConverged(convergence, streams);
        }
        end.caughtUp = differences.isEmpty();
        finish(end);
        readers.close();
        streams.close();
        liveness.interrupt();
        Set<Long> captured = topics.capturedTransactions(new HashSet<>(environments));
        long audited = ledger.commits().stream().filter(c -> captured.contains(c.xid())).count();
        say(audited + " of " + ledger.commits().size() + " committed transactions found on " + ChaosStack.CHANGE_TOPIC);
        Report report = new Report(phases.all(), ledger.commits(), sightings, captured);
        System.out.println();
        report.print(System.out);
        return verdict(report, writer, differences);
    }

    /**
     * From here on, readers and the writer count into the new phase; the previous phase's last
     * changes must reach readers before its fault is injected, or they would wait through it and
     * be counted against the wrong fault.
     */
    private void runPhase(Fault fault) {
        Phase phase = phases.begin(fault.name());
        say("== " + fault.name() + ": " + fault.what());
        Optional<String> settling = await(ledger.latest(), Optional::empty);
        if (settling.isPresent()) {
            phase.notes.put("before the fault", "the previous phase had not settled: still waiting for " + settling.get());
        }
        fault.inject().run();
        hold();
        fault.restore().run();
        phase.restoredNanos = System.nanoTime();
        Optional<String> waitingFor = await(ledger.latest(), fault.settled());
        phase.caughtUp = waitingFor.isEmpty();
        waitingFor.ifPresent(what -> phase.notes.put("did not recover", "still waiting for " + what));
        finish(phase);
    }

    /**
     * Waits (at most --catch-up) until readers have seen these versions, both processes are
     * ready and {@code settled} has nothing left; returns what it still waits for, if anything.
     */
    private Optional<String> await(Map<String, Long> versions, Supplier<Optional<String>> settled) {
        long deadline = System.nanoTime() + options.catchUp().toNanos();
        Optional<String> waitingFor = Optional.of("nothing yet");
        while (System.nanoTime() < deadline) {
            waitingFor = !sightings.reached(versions) ? Optional.of("readers to see versions " + versions)
                    : stack.notReady().or(settled);
            if (waitingFor.isEmpty()) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        return waitingFor;
    }

    private void hold() {
        long until = System.nanoTime() + options.hold().toNanos();
        while (System.nanoTime() < until) {
            LockSupport.parkNanos(until - System.nanoTime());
        }
    }

    private List<String> awaitConverged(Convergence convergence, SseClients streams) {
        long deadline = System.nanoTime() + options.catchUp().toNanos();
        List<String> differences = convergence.differences(environments, streams.clients());
        while (!differences.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            differences = convergence.differences(environments, streams.clients());
        }
        return differences;
    }

    private void finish(Phase phase) {
        phase.endNanos = System.nanoTime();
        phase.loadAtEnd = LoadAverage.oneMinute();
        say(String.format("   %s done after %.1f s: %d reads, %d failed%s", phase.name,
                (phase.endNanos - phase.startNanos) / 1e9, phase.reads.sum(), phase.failures(),
                phase.caughtUp ? "" : "; DID NOT RECOVER: " + phase.notes.get("did not recover")));
    }

    private int verdict(Report report, Writer writer, List<String> differences) {
        List<String> problems = new ArrayList<>(writer.failures());
        long failed = phases.all().stream().mapToLong(Phase::failures).sum();
        if (failed > 0) {
            problems.add(failed + " valid read(s) failed (5xx, no answer, unexpected, or back in time)");
        }
        if (report.lost() > 0) {
            problems.add(report.lost() + " committed change(s) lost (never served, or missing from the change topic)");
        }
        phases.all().stream().filter(p -> !p.caughtUp)
                .forEach(p -> problems.add(p.name + " did not recover: " + p.notes.get("did not recover")));
        differences.forEach(d -> problems.add("at the end " + d));
        System.out.println();
        System.out.printf("%d changes committed (%d refused statements retried), %d reads; load average now %.2f%n",
                ledger.commits().size(), writer.refused(), phases.all().stream().mapToLong(p -> p.reads.sum()).sum(),
                LoadAverage.oneMinute());
        if (problems.isEmpty()) {
            System.out.println("chaos: PASSED: no change lost, no valid read failed, every store and stream ends on"
                    + " PostgreSQL's version");
            return 0;
        }
        problems.forEach(problem -> System.out.println("chaos: FAILED: " + problem));
        return 1;
    }

    private void sampleLiveness() {
        while (!Thread.currentThread().isInterrupted()) {
            check("api", stack.api("/health/live"));
            check("worker", stack.worker("/health/live"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500));
        }
    }

    private void check(String process, URI uri) {
        Http.get(uri).filter(response -> response.statusCode() != 200).ifPresent(response -> {
            phases.current().liveFailure(process);
            phases.current().notes.putIfAbsent(process + " /health/live", response.statusCode() + " " + response.body());
        });
    }

    private void seed() {
        DatabaseConfig config = new DatabaseConfig(stack.postgres().jdbcUrl(), stack.postgres().user(),
                stack.postgres().password());
        try (HikariDataSource pool = Databases.pool(config, "chaos-seed", 2)) {
            Databases.migrate(pool);
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
                for (String environment : environments) {
                    statement.execute(FlagPool.seedSql(environment));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not seed the chaos environments: " + e.getMessage(), e);
        }
    }

    private void clearLogs() {
        Path logs = options.logs();
        try {
            Files.createDirectories(logs);
            try (Stream<Path> old = Files.list(logs)) {
                for (Path log : old.filter(path -> path.toString().endsWith(".log")).toList()) {
                    Files.delete(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + logs, e);
        }
    }

    private URI snapshotUri(String environment) {
        return stack.api("/api/v1/environments/" + environment + "/flags");
    }

    private URI streamUri(String environment) {
        return stack.api("/api/v1/environments/" + environment + "/flags/stream");
    }

    private static void say(String line) {
        System.out.printf("%s %s%n", LocalTime.now().withNano(0), line);
    }
}
