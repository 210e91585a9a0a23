package org.evault.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1, new SecureRandom());

    @Test
    void hash_verifies_wrongPasswordDoesNot() {
        String h = hasher.hash("correct horse".toCharArray());
        assertThat(h).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain("correct");
        assertThat(hasher.verify("correct horse".toCharArray(), h)).isTrue();
        assertThat(hasher.verify("correct hors".toCharArray(), h)).isFalse();
        assertThat(hasher.verify("".toCharArray(), h)).isFalse();
    }

    @Test
    void hash_saltedFreshEachTime() {
        assertThat(hasher.hash("pw".toCharArray())).isNotEqualTo(hasher.hash("pw".toCharArray()));
    }

    @Test
    void hash_defaultsVerifyAcrossInstances_nonAscii() {
        PasswordHasher strong = PasswordHasher.defaults();
        String h = strong.hash("pässwörd€".toCharArray());
        assertThat(hasher.verify("pässwörd€".toCharArray(), h)).isTrue();
    }

    /** Prevents a tampered or truncated stored hash from throwing or from matching. */
    @Test
    void verify_malformed_false() {
        assertThat(hasher.verify("x".toCharArray(), null)).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "")).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaA")).isFalse();
        assertThat(hasher.verify("x".toCharArray(), "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHQ$"
                + "aGFzaGhhc2hoYXNoaGFzaA")).isFalse();
    }
}
