/**
 * Threshold RSA for the vault's receipts: the key is dealt once and then exists only as shares.
 *
 * <h2>Setup (the dealer, {@code evault init})</h2>
 * <pre>{@code
 * try (DealtKey key = Dealer.builder().modulusBits(3072).scheme(ThresholdScheme.SHOUP)
 *     .servers(5).threshold(3).random(new SecureRandom()).listener(progress).build().generate()) {
 *   KeyFiles.writePublicKey(dir.resolve("vault.pem"), key.publicKey());
 *   KeyFiles.writeParameters(dir.resolve("vault.params"), key.parameters());
 *   for (KeyShare s : key.shares()) {
 *     KeyFiles.writeShare(nodeDir(s.index()).resolve("vault.share"), s);   // 0600
 *   }
 * }
 * }</pre>
 *
 * <h2>A daemon</h2>
 * <pre>{@code
 * VaultPublicKey pub = KeyFiles.readPublicKey(pemPath);
 * ThresholdSigner signer = ThresholdSigner.create(KeyFiles.readShare(sharePath, pub));
 * signer.precompute(16);                        // when idle; Shoup only
 * byte[] wire = signer.sign(receiptBody).toBytes(signer.parameters());
 * }</pre>
 *
 * <h2>The gateway</h2>
 * <pre>{@code
 * PublicParameters params = KeyFiles.readParameters(paramsPath, KeyFiles.readPublicKey(pemPath));
 * SignatureCombiner combiner = SignatureCombiner.create(params);
 * List<SignatureShare> shares = ...SignatureShare.fromBytes(wire, params)...;   // check index = sender
 * ThresholdSignature sig = combiner.combine(receiptBody, shares);   // verified, or it throws
 * sig.bytes();            // SHA256withRSA signature, exactly modulusBytes long
 * sig.invalidShares();    // liars named (Shoup)
 * }</pre>
 *
 * <p>Anyone verifies with {@link org.evault.threshold.VaultPublicKey#verify}, JCA
 * {@code SHA256withRSA} or {@code openssl dgst -sha256 -verify vault.pem -signature sig body}.
 * See docs/security.md ("Threshold signatures") and docs/formats.md ("Vault key and share files").
 */
package org.evault.threshold;
