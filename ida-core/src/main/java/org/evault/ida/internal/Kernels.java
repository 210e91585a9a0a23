package org.evault.ida.internal;

/**
 * Picks the fastest kernel this JVM can run: the Vector API one when {@code jdk.incubator.vector}
 * is in the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}),
 * otherwise the pure-Java one. The system property {@code evault.ida.kernel=scalar} forces the
 * pure-Java kernel, for comparison.
 */
public final class Kernels {
    public static final String KERNEL_PROPERTY = "evault.ida.kernel";

    private static final GfKernel PREFERRED = choose();

    private Kernels() {
    }

    public static GfKernel preferred() {
        return PREFERRED;
    }

    public static GfKernel scalar() {
        return new ScalarKernel();
    }

    /** The Vector API kernel, or null where the module is absent or the CPU too narrow. */
    public static GfKernel vectorOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            // Referenced by name only, so that this class links without the incubator module.
            Class<?> type = Class.forName("org.evault.ida.internal.VectorKernel");
            var usable = type.getDeclaredMethod("usable");
            if (!(Boolean) usable.invoke(null)) {
                return null;
            }
            var constructor = type.getDeclaredConstructor();
            return (GfKernel) constructor.newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static GfKernel choose() {
        if ("scalar".equals(System.getProperty(KERNEL_PROPERTY))) {
            return scalar();
        }
        GfKernel vector = vectorOrNull();
        return vector != null ? vector : scalar();
    }
}
