package org.evault.ida;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FingerprintVectorTest {
    private static FingerprintVector vector(int n, long seed) {
        Random r = new Random(seed);
        List<Hash256> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[32];
            r.nextBytes(b);
            list.add(Hash256.of(b));
        }
        return new FingerprintVector(list);
    }

    @Property(tries = 300)
    void upToTLiarsAndSilentServers_neverWinAndAreNamed(@ForAll @IntRange(min = 1, max = 15) int n,
            @ForAll long seed) {
        int t = (n - 1) / 2;
        Random r = new Random(seed);
        FingerprintVector truth = vector(n, seed);
        FingerprintVector forged = vector(n, seed + 1);
        List<FingerprintVector> reports = new ArrayList<>(Arrays.asList(new FingerprintVector[n]));
        List<Integer> servers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            servers.add(i);
            reports.set(i, truth);
        }
        java.util.Collections.shuffle(servers, r);
        int liars = r.nextInt(t + 1);
        List<Integer> lying = servers.subList(0, liars);
        for (int s : lying) {
            // Colluding liars agree on one forgery, or each sends its own, or stays silent.
            int kind = r.nextInt(3);
            reports.set(s, kind == 0 ? forged : kind == 1 ? vector(n, seed + 2 + s) : null);
        }
        FingerprintVector.Selection sel = FingerprintVector.selectMajority(reports, t);
        assertThat(sel.vector()).isEqualTo(truth);
        assertThat(sel.disagreeing()).allSatisfy(s -> assertThat(lying).contains(s));
        assertThat(sel.agreeing()).hasSize(n - liars);
    }

    @Property(tries = 50)
    void bytesRoundTrip(@ForAll @IntRange(min = 1, max = 255) int n, @ForAll long seed) {
        FingerprintVector v = vector(n, seed);
        assertThat(FingerprintVector.fromBytes(v.toBytes())).isEqualTo(v);
    }

    @org.junit.jupiter.api.Test
    void tooFewAgreeing_orTwoMajorities_areRefused() {
        FingerprintVector a = vector(5, 1);
        FingerprintVector b = vector(5, 2);
        assertThatThrownBy(() -> FingerprintVector.selectMajority(Arrays.asList(a, b, null, null, null), 2))
                .hasMessageContaining("no fingerprint vector is reported by 3 servers (2 answered, 2 distinct vectors)");
        assertThatThrownBy(() -> FingerprintVector.selectMajority(Arrays.asList(a, a, b, b, a), 1))
                .hasMessageContaining("more than t = 1 servers are faulty");
        assertThatThrownBy(() -> FingerprintVector.selectMajority(Arrays.asList(a, a, b, b), 2))
                .hasMessageContaining("0 <= t < n/2");
    }
}
