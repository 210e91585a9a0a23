package org.evault.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An in-memory PKCS#12 key store made from the deployment's PEM files (certificate chain and an
 * unencrypted PKCS#8 private key, EC or RSA), for Jetty's HTTPS connector. The key store's
 * password only protects it in memory: it is random and never leaves this JVM.
 */
final class PemKeyStore {
    static final String ALIAS = "gateway";

    private PemKeyStore() {
    }

    record Loaded(KeyStore keyStore, String password) {
        @Override
        public String toString() {
            return "PemKeyStore.Loaded[" + ALIAS + "]";
        }
    }

    static Loaded load(Path certificateChain, Path caCertificate, Path privateKey)
            throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Certificate> chain = new ArrayList<>();
        try (var in = Files.newInputStream(certificateChain)) {
            chain.addAll(cf.generateCertificates(in));
        }
        if (chain.isEmpty()) {
            throw new GeneralSecurityException(certificateChain + " holds no certificate");
        }
        if (caCertificate != null && Files.exists(caCertificate)) {
            try (var in = Files.newInputStream(caCertificate)) {
                for (Certificate ca : cf.generateCertificates(in)) {
                    if (!chain.contains(ca)) {
                        chain.add(ca);
                    }
                }
            }
        }
        PrivateKey key = readKey(privateKey);
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(new Certificate[0]));
        return new Loaded(ks, password);
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new GeneralSecurityException(file + ": expected an unencrypted PKCS#8 key (" + begin + ")");
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e));
        try {
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
            for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
                try {
                    return KeyFactory.getInstance(algorithm).generatePrivate(spec);
                } catch (GeneralSecurityException ignored) {
                    // Try the next algorithm.
                }
            }
            throw new GeneralSecurityException(file + ": not an EC, RSA or Ed25519 private key");
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
