package org.evault.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.evault.daemon.ClassPathSnapshot;
import org.evault.daemon.DaemonProcess;
import org.evault.daemon.TestDeployments;
import org.evault.deploy.Deployment;
import org.evault.threshold.ThresholdScheme;

/**
 * A deployment with its n daemons running as real processes, for gateway tests: daemons listen on
 * ephemeral ports, and {@link #config()} is the gateway's configuration pointed at them.
 */
final class RunningVault implements AutoCloseable {
    final Path deployment;
    final List<DaemonProcess> daemons = new ArrayList<>();
    private final GatewayConfig config;

    /** @param faults per 1-based daemon index, a {@code testing.faults} value (e.g. "wrong-signature") */
    RunningVault(Path parent, int n, int t, ThresholdScheme scheme, Map<Integer, String> faults) throws Exception {
        deployment = TestDeployments.write(parent, n, t, scheme);
        for (Map.Entry<Integer, String> f : faults.entrySet()) {
            TestDeployments.configure(deployment, f.getKey(), "testing.faults=" + f.getValue());
        }
        try {
            for (int i = 1; i <= n; i++) {
                daemons.add(DaemonProcess.startWithClassPath(Deployment.daemonFolder(deployment, i), classPathSnapshot(),
                        "-Devault.testing=true"));
            }
            List<Integer> ports = new ArrayList<>();
            for (DaemonProcess d : daemons) {
                ports.add(d.awaitPort());
            }
            Path gateway = deployment.resolve(Deployment.GATEWAY_FOLDER);
            config = GatewayConfig.load(gateway).withDaemonPorts(ports).withHttpsPort(0);
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** See {@link ClassPathSnapshot}. */
    static String classPathSnapshot() throws IOException {
        return ClassPathSnapshot.get();
    }

    GatewayConfig config() {
        return config;
    }

    /** Starts daemon {@code index} (1-based) again, after a kill, on the port the gateway knows. */
    void restart(int index) throws Exception {
        int port = config.daemons().get(index - 1).port();
        TestDeployments.configure(deployment, index, "listen.port=" + port);
        DaemonProcess d = DaemonProcess.startWithClassPath(Deployment.daemonFolder(deployment, index),
                classPathSnapshot(), "-Devault.testing=true");
        daemons.add(d);
        if (d.awaitPort() != port) {
            throw new IllegalStateException("daemon " + index + " came back on another port");
        }
    }

    Path gatewayFolder() {
        return deployment.resolve(Deployment.GATEWAY_FOLDER);
    }

    @Override
    public void close() throws InterruptedException {
        for (DaemonProcess d : daemons) {
            d.close();
        }
        // Keep the daemons' logs for a failed run to read (the deployment lives in a temporary folder).
        Path keep = Path.of("target", "daemon-logs", deployment.getFileName().toString());
        try {
            Files.createDirectories(keep);
            for (DaemonProcess d : daemons) {
                Files.write(keep.resolve(d.folder().getFileName() + ".log"), d.log());
            }
        } catch (IOException e) {
            // Only a convenience for debugging.
        }
    }
}
