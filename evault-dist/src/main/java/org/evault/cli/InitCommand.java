package org.evault.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.evault.deploy.Deployment;
import org.evault.deploy.DeploymentSpec;
import org.evault.threshold.DealtKey;
import org.evault.threshold.Dealer;
import org.evault.threshold.KeyGenListener;
import org.evault.threshold.KeyId;
import org.evault.threshold.ThresholdScheme;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code evault init}: the dealer. Makes the vault key and splits it among the daemons, makes the
 * deployment's CA and one certificate per node, and writes one config folder per daemon and one
 * for the gateway. The unsplit key and the CA's private key exist only in this process.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Write a complete deployment: key shares, CA and certificates, one folder per node.")
final class InitCommand implements Callable<Integer> {
    @Option(names = "--nodes", required = true, description = "Number of daemons n.")
    int nodes;

    @Option(names = "--faults", required = true, description = "Daemons that may fail or lie, t < n/2; m = n - t rebuild a document.")
    int faults;

    @Option(names = "--scheme", defaultValue = "shoup",
            description = "additive (the paper's n-out-of-n) or shoup (t+1 of n, liars named); default ${DEFAULT-VALUE}.")
    String scheme;

    @Option(names = "--bits", defaultValue = "3072", description = "RSA modulus bits: 2048, 3072 or 4096; default ${DEFAULT-VALUE}.")
    int bits;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the nodes listen on; default ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--first-port", defaultValue = "7701", description = "Port of daemon 1; daemon i uses first-port + i - 1.")
    int firstPort;

    @Option(names = "--gateway-port", defaultValue = "8443", description = "The gateway's HTTPS port.")
    int gatewayPort;

    @Option(names = "--out", required = true, description = "Folder to write; must not exist or be empty.")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DeploymentSpec d = new DeploymentSpec(nodes, faults, scheme(scheme), checkedBits(bits), host, firstPort, gatewayPort);
        PrintWriter err = spec.commandLine().getErr();
        err.printf("generating a %d-bit RSA key from safe primes (this takes a few seconds)...%n", bits);
        err.flush();
        long t0 = System.nanoTime();
        KeyId keyId = dealAndWrite(out, d, null);
        PrintWriter o = spec.commandLine().getOut();
        o.printf("deployment written to %s in %.1f s: n = %d daemons, t = %d faults, m = %d slices rebuild a document, "
                + "%s signatures (%d shares make a receipt)%n", out, (System.nanoTime() - t0) / 1e9, nodes, faults,
                d.m(), d.scheme().name().toLowerCase(Locale.ROOT), d.sharesNeeded());
        o.printf("vault key id %s%n", keyId.hex());
        for (int i = 1; i <= nodes; i++) {
            o.printf("  %s  -> %s:%d%n", Deployment.daemonFolder(out, i), host, d.daemonPort(i));
        }
        o.printf("  %s  -> https://%s:%d%n", out.resolve(Deployment.GATEWAY_FOLDER), host, gatewayPort);
        o.printf("  %s  (give this CA certificate to clients)%n", out.resolve(Deployment.CA_FILE));
        o.flush();
        return 0;
    }

    /**
     * The dealer: makes the vault key for {@code d}, splits it, and writes the deployment into
     * {@code out} (which must not exist or be empty). Also the demo's first step.
     *
     * @param listener progress of the safe-prime search, or null
     * @return the vault key's id
     */
    static KeyId dealAndWrite(Path out, DeploymentSpec d, KeyGenListener listener) throws Exception {
        SecureRandom random = new SecureRandom();
        Dealer.Builder dealer = Dealer.builder().modulusBits(d.modulusBits()).scheme(d.scheme()).servers(d.n())
                .threshold(d.sharesNeeded()).random(random);
        if (listener != null) {
            dealer.listener(listener);
        }
        try (DealtKey key = dealer.build().generate()) {
            Deployment.write(out, d, key, random);
            return key.publicKey().keyId();
        }
    }

    static ThresholdScheme scheme(String name) {
        try {
            return ThresholdScheme.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scheme must be additive or shoup, not " + name);
        }
    }

    static int checkedBits(int bits) {
        if (bits != 2048 && bits != 3072 && bits != 4096) {
            throw new IllegalArgumentException("--bits must be 2048, 3072 or 4096, not " + bits);
        }
        return bits;
    }
}
