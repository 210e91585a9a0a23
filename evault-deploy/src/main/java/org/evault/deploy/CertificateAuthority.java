package org.evault.deploy;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The deployment's own certificate authority: an ECDSA P-256 root that signs one certificate per
 * daemon and one for the gateway. Only holders of a certificate from this CA may talk to a daemon
 * (mutual TLS). The CA's private key lives only in this object: the dealer does not write it out,
 * so nobody can mint further node certificates after setup (a new node means a new deployment).
 */
public final class CertificateAuthority {
    private static final String SIGNATURE = "SHA256withECDSA";

    private final KeyPair keyPair;
    private final X509Certificate certificate;
    private final SecureRandom random;
    private final Duration validity;

    private CertificateAuthority(KeyPair keyPair, X509Certificate certificate, SecureRandom random, Duration validity) {
        this.keyPair = keyPair;
        this.certificate = certificate;
        this.random = random;
        this.validity = validity;
    }

    /** A new root named {@code name}, valid for {@code validity} from now. */
    public static CertificateAuthority create(String name, Duration validity, SecureRandom random)
            throws GeneralSecurityException {
        KeyPair pair = newKeyPair(random);
        X500Name subject = new X500Name("CN=" + name + ",O=e-Vault deployment");
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)), subject, pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new CertificateAuthority(pair, sign(b, pair), random, validity);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A certificate for one node (daemon or gateway), usable for both TLS server and client
     * authentication, naming {@code commonName} and the given host names and IP addresses.
     */
    public Issued issue(String commonName, List<String> hosts) throws GeneralSecurityException {
        KeyPair pair = newKeyPair(random);
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            List<GeneralName> names = new ArrayList<>();
            for (String host : hosts) {
                names.add(host.matches("[0-9.]+|.*:.*") ? new GeneralName(GeneralName.iPAddress, host)
                        : new GeneralName(GeneralName.dNSName, host));
            }
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(validity)),
                    new X500Name("CN=" + commonName + ",O=e-Vault deployment"), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false,
                            new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
                    .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            return new Issued(sign(b, keyPair), pair);
        } catch (IOException | OperatorCreationException e) {
            throw new GeneralSecurityException("cannot issue a certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** A certificate and its private key, as PEM text for TLS configuration. */
    public record Issued(X509Certificate certificate, KeyPair keyPair) {
        /** The certificate as PEM. */
        public String certificatePem() throws IOException {
            return pem(certificate);
        }

        /** The private key as unencrypted PKCS#8 PEM ("PRIVATE KEY"), which Netty and Jetty read. */
        public String privateKeyPem() throws IOException {
            return pem(new JcaPKCS8Generator(keyPair.getPrivate(), null).generate());
        }

        @Override
        public String toString() {
            return "Issued[" + certificate.getSubjectX500Principal() + "]";
        }
    }

    static String pem(Object value) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(value);
        }
        return out.toString();
    }

    private static KeyPair newKeyPair(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner s = new JcaContentSignerBuilder(SIGNATURE).build(signer.getPrivate());
        X509CertificateHolder holder = builder.build(s);
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
