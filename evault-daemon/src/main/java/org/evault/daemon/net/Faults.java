package org.evault.daemon.net;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.netty.buffer.ByteBuf;

import org.evault.daemon.DaemonConfig.Fault;
import org.evault.ida.FingerprintVector;
import org.evault.ida.Hash256;
import org.evault.threshold.InvalidShareException;
import org.evault.threshold.PublicParameters;
import org.evault.threshold.SignatureShare;

/**
 * The lies a test daemon tells (see {@link Fault}); with no faults configured every method returns
 * its input unchanged. DaemonConfig refuses faults unless the JVM runs with -Devault.testing=true.
 */
final class Faults {
    private final Set<Fault> faults;
    private final PublicParameters parameters;
    private final SecureRandom random = new SecureRandom();

    Faults(Set<Fault> faults, PublicParameters parameters) {
        this.faults = faults;
        this.parameters = parameters;
    }

    FingerprintVector fingerprints(FingerprintVector honest) {
        if (!faults.contains(Fault.WRONG_FINGERPRINTS)) {
            return honest;
        }
        List<Hash256> list = new ArrayList<>(honest.fingerprints());
        byte[] first = list.get(0).toBytes();
        first[0] ^= 1;
        list.set(0, Hash256.of(first));
        return new FingerprintVector(list);
    }

    /**
     * A well-formed share with the wrong value, so that only the proof or the combination catches
     * it; a proof it carries is the honest one, which then fails for the wrong value.
     */
    byte[] partialSignature(byte[] honest) {
        if (!faults.contains(Fault.WRONG_SIGNATURE)) {
            return honest;
        }
        try {
            SignatureShare s = SignatureShare.fromBytes(honest, parameters);
            java.math.BigInteger wrong = s.value().multiply(java.math.BigInteger.TWO).mod(parameters.modulus());
            return new SignatureShare(s.index(), wrong, s.proof()).toBytes(parameters);
        } catch (InvalidShareException e) {
            throw new IllegalStateException("own share does not parse", e);
        }
    }

    void slice(ByteBuf chunk) {
        if (faults.contains(Fault.WRONG_SLICE) && chunk.readableBytes() > 0) {
            int at = chunk.readerIndex() + random.nextInt(chunk.readableBytes());
            chunk.setByte(at, chunk.getByte(at) ^ 0x5A);
        }
    }
}
