package org.evault.protocol;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway deployment CA and node certificates (EC P-256, CN = node id, SAN localhost and
 * 127.0.0.1) written as ca.pem, NAME.pem and NAME.key (PKCS#8 PEM) into a folder.
 */
public final class TestPki {
    private final Path dir;
    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final SecureRandom random;
    private long serial = 2;

    private TestPki(Path dir, String caName, SecureRandom random) throws GeneralSecurityException, IOException {
        this.dir = dir;
        this.random = random;
        Files.createDirectories(dir);
        caKeys = newKeys();
        X500Name name = new X500Name("CN=" + caName);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, notBefore(), notAfter(),
                name, caKeys.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IOException(e);
        }
        ca = sign(b);
        writePem(dir.resolve("ca.pem"), ca);
    }

    /** A new CA in {@code dir}. */
    public static TestPki create(Path dir, String caName) throws GeneralSecurityException, IOException {
        return new TestPki(dir, caName, new SecureRandom());
    }

    /** Issues NAME.pem and NAME.key for CN = {@code nodeId}, beside ca.pem; returns its TlsConfig. */
    public TlsConfig issue(String nodeId) throws GeneralSecurityException, IOException {
        return issue(nodeId, nodeId);
    }

    /** Issues {@code fileName}.pem/.key for CN = {@code commonName}. */
    public TlsConfig issue(String fileName, String commonName) throws GeneralSecurityException, IOException {
        KeyPair keys = newKeys();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca, BigInteger.valueOf(serial++), notBefore(),
                notAfter(), new X500Name("CN=" + commonName), keys.getPublic());
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        } catch (org.bouncycastle.cert.CertIOException e) {
            throw new IOException(e);
        }
        X509Certificate cert = sign(b);
        writePem(dir.resolve(fileName + ".pem"), cert);
        try (Writer w = Files.newBufferedWriter(dir.resolve(fileName + ".key"), StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
        }
        return TlsConfig.inFolder(dir, fileName);
    }

    public Path dir() {
        return dir;
    }

    private KeyPair newKeys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws GeneralSecurityException {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate());
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII); JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
    }

    private static Date notBefore() {
        return new Date(System.currentTimeMillis() - 3_600_000L);
    }

    private static Date notAfter() {
        return new Date(System.currentTimeMillis() + 86_400_000L);
    }
}
