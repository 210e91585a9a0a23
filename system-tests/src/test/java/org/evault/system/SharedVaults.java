package org.evault.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.evault.threshold.ThresholdScheme;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Honest vaults shared by every test class of a run that only needs a working vault: started on
 * first use, stopped when the run ends (JUnit closes what its root store holds). Starting a vault
 * is n + 1 JVMs, so sharing is most of what keeps the module fast. Tests on a shared vault stay
 * independent by using their own user and document names; anything that harms the vault (killing,
 * lying, restarting) gets its own {@link SystemVault}.
 *
 * <p>Use: {@code @ExtendWith(SharedVaults.class)} and a {@code SharedVaults.Pool} parameter.
 */
final class SharedVaults implements ParameterResolver {
    /** The gateway heap of every shared vault: small enough that a document held in memory would fail. */
    static final String GATEWAY_HEAP = "128m";

    /** Hands out the run's shared vaults. */
    interface Pool {
        SystemVault get(int n, int t, ThresholdScheme scheme) throws Exception;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Pool.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.create(SharedVaults.class));
        return (Pool) (n, t, scheme) -> {
            Running running = store.getOrComputeIfAbsent(n + "/" + t + "/" + scheme, key -> {
                try {
                    Path dir = Files.createTempDirectory("evault-shared-vault-");
                    return new Running(dir, SystemVault.start(dir, n, t, scheme, Map.of(), GATEWAY_HEAP));
                } catch (Exception e) {
                    throw new IllegalStateException("could not start the shared vault " + key, e);
                }
            }, Running.class);
            return running.vault();
        };
    }

    private record Running(Path dir, SystemVault vault) implements AutoCloseable {
        @Override
        public void close() {
            try {
                vault.close();
            } finally {
                JvmProcess.deleteTree(dir);
            }
        }
    }
}
