package org.evault.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evault demo} as a user runs it: a child process that deals a vault, starts its daemons
 * as processes and serves HTTPS; the client commands (also child processes, password from the
 * environment) register, deposit, list and retrieve through it; then SIGTERM stops it all.
 */
class DemoCommandTest {
    private static final Pattern URL = Pattern.compile("e-Vault demo running at (https://localhost:(\\d+)/)");
    private static final Pattern CA = Pattern.compile("CA certificate: (\\S+)");
    private static final Pattern FOLDER = Pattern.compile("folder: (\\S+)");
    private static final Pattern DAEMON = Pattern.compile("daemon node-(\\d+) on 127\\.0\\.0\\.1:\\d+, pid (\\d+)");

    @TempDir
    Path dir;

    private Process demo;

    @AfterEach
    void killDemo() throws InterruptedException {
        if (demo != null && demo.isAlive()) {
            demo.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void demo_servesAWholeVault_toTheClientCommands_andStopsEverythingOnSigterm() throws Exception {
        Path logs = dir.resolve("logs");
        ProcessBuilder pb = Launcher.command(logs, Map.of(), "demo", "--port", "0", "--bits", "2048");
        demo = pb.start();
        Path demoOut = pb.redirectOutput().file().toPath();
        Path demoErr = pb.redirectError().file().toPath();
        String welcome = awaitLine(demoOut, demoErr, "Ctrl-C stops the vault.");

        Matcher url = URL.matcher(welcome);
        assertThat(url.find()).as(welcome).isTrue();
        Matcher ca = CA.matcher(welcome);
        assertThat(ca.find()).isTrue();
        Matcher folderMatch = FOLDER.matcher(welcome);
        assertThat(folderMatch.find()).isTrue();
        Path folder = Path.of(folderMatch.group(1));
        List<Long> daemonPids = new ArrayList<>();
        Matcher d = DAEMON.matcher(welcome);
        while (d.find()) {
            daemonPids.add(Long.parseLong(d.group(2)));
        }
        assertThat(daemonPids).hasSize(3);
        assertThat(welcome).contains("n = 3 daemons, any 2 rebuild a document (t = 1 may fail or lie), shoup receipts")
                .contains(" register --gateway " + url.group(1).replaceAll("/$", "") + " --cacert " + ca.group(1));

        String[] gateway = {"--gateway", url.group(1), "--cacert", ca.group(1), "--user", "alice"};
        Map<String, String> alice = Map.of(ClientOptions.PASSWORD_VARIABLE, "alice's long password");

        Launcher.Result r = Launcher.run(logs, alice, concat("register", gateway, "--name", "Alice Example", "--address",
                "1 Main St", "--phone", "555-0100", "--email", "alice@example.org"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("registered alice");

        byte[] document = new byte[1 << 20];
        new Random(7).nextBytes(document);
        Path file = dir.resolve("report.bin");
        Files.write(file, document);
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Path receipts = dir.resolve("receipts");
        r = Launcher.run(logs, alice, concat("deposit", gateway, "--receipts", receipts.toString(), file.toString(),
                empty.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).containsPattern("(?m)^report\\.bin version 1 id [0-9a-f-]{36}$")
                .containsPattern("(?m)^empty\\.txt version 1 id [0-9a-f-]{36}$");
        Path receipt = receipts.resolve("report.bin.v1.receipt.json");
        assertThat(receipt).exists();

        Files.write(file, "second version".getBytes(StandardCharsets.UTF_8));
        r = Launcher.run(logs, alice, concat("deposit", gateway, "--receipts", receipts.toString(), file.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("report.bin version 2 id ");

        r = Launcher.run(logs, alice, concat("list", gateway));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList()).hasSize(4);
        assertThat(r.out()).startsWith("NAME").containsPattern("(?m)^empty\\.txt\\s+1\\s+0\\s")
                .containsPattern("(?m)^report\\.bin\\s+1\\s+1048576\\s").containsPattern("(?m)^report\\.bin\\s+2\\s+14\\s");

        Path copy = dir.resolve("out").resolve("report.copy");
        r = Launcher.run(logs, alice, concat("retrieve", gateway, "report.bin", "--version", "1", "--out", copy.toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(copy)).isEqualTo(document);
        r = Launcher.run(logs, alice, concat("retrieve", gateway, "empty.txt", "--out", dir.resolve("empty.copy").toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(dir.resolve("empty.copy")).isEmptyFile();

        // The saved receipt holds on its own, and the minimal client takes it from here.
        Path store = dir.resolve("store");
        r = Launcher.run(logs, Map.of(), "extractkey", "--cacert", ca.group(1), "--store", store.toString(),
                url.group(1) + "api/v1/vault/public-key.pem");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        r = Launcher.run(logs, Map.of(), "verify", "--store", store.toString(), receipt.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("valid receipt: report.bin version 1 of alice, 1048576 bytes");
        r = Launcher.run(logs, Map.of(), "extractfile", "--store", store.toString(), "--name", "report.bin", "--out",
                dir.resolve("restored.bin").toString(), copy.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("restored.bin"))).isEqualTo(document);

        // Exit codes: wrong password 3, unknown document 4, both with one line and no stack trace.
        r = Launcher.run(logs, Map.of(ClientOptions.PASSWORD_VARIABLE, "not alice's password"),
                concat("deposit", gateway, file.toString()));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.AUTHENTICATION_FAILED);
        assertThat(r.err().strip()).isEqualTo("evault: wrong user id or password (HTTP 401)");
        r = Launcher.run(logs, alice, concat("retrieve", gateway, "no-such.txt", "--out", dir.resolve("x").toString()));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err().strip()).isEqualTo("evault: no such document (HTTP 404)");
        assertThat(dir.resolve("x")).doesNotExist();
        r = Launcher.run(logs, alice, concat("retrieve", gateway, "report.bin", "--version", "3", "--out",
                dir.resolve("x").toString()));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(dir.resolve("out").toFile().list()).containsExactly("report.copy");

        // t = 1 daemon killed: the vault still serves the exact bytes, and the demo says what happened.
        ProcessHandle.of(daemonPids.get(0)).orElseThrow().destroyForcibly();
        r = Launcher.run(logs, alice, concat("retrieve", gateway, "report.bin", "--version", "1", "--out",
                dir.resolve("again.bin").toString()));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("again.bin"))).isEqualTo(document);
        awaitLine(demoErr, demoErr, "daemon node-1 (pid " + daemonPids.get(0) + ") exited");

        demo.destroy();
        assertThat(demo.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(demoErr)).contains("demo vault stopped");
        for (long pid : daemonPids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("daemon pid " + pid).isFalse();
        }
        assertThat(folder).doesNotExist();
    }

    private static String[] concat(String command, String[] common, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of(common));
        all.addAll(List.of(rest));
        return all.toArray(new String[0]);
    }

    /** Polls {@code file} until it holds {@code line}; returns its text. Fails if the demo exits first. */
    private String awaitLine(Path file, Path err, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.contains(line)) {
                return text;
            }
            if (demo.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the demo exited with " + demo.exitValue() + " before printing " + line + ":\n"
                        + text + Files.readString(err, StandardCharsets.UTF_8));
            }
        }
        throw new AssertionError("the demo did not print " + line + " within 120 s:\n"
                + Files.readString(err, StandardCharsets.UTF_8));
    }
}
