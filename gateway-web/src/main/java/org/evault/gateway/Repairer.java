package org.evault.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.evault.gateway.db.AuditEntry;
import org.evault.gateway.db.DocumentRecord;
import org.evault.gateway.db.MetadataStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives daemons back the slices they lack: a daemon that was down during a Shoup deposit (which
 * goes on with m daemons) never got its slice, and a slice that a scrub found damaged is set
 * aside. Either way the document survives fewer failures than it should until it is repaired.
 *
 * <p>A pass lists every reachable daemon's documents, walks every receipted document in the
 * metadata store, and for each one a reachable daemon lacks, rebuilds the document from the
 * others and streams it into a repair on that daemon ({@link VaultClient#repair}). One document
 * at a time, on one thread, so a pass costs the vault about one retrieval's worth of resources
 * at any moment. Daemons that do not answer are skipped until the next pass.
 */
public final class Repairer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Repairer.class);
    private static final int PAGE = 500;

    private final VaultClient vault;
    private final MetadataStore store;
    private final ScheduledExecutorService schedule;

    /** One pass's outcome: documents looked at, slices given back, repairs that failed, daemons not reached. */
    public record Report(int documentsChecked, List<String> repaired, List<String> failed, List<String> unreachable) {
        public Report {
            repaired = List.copyOf(repaired);
            failed = List.copyOf(failed);
            unreachable = List.copyOf(unreachable);
        }
    }

    private Repairer(VaultClient vault, MetadataStore store, ScheduledExecutorService schedule) {
        this.vault = vault;
        this.store = store;
        this.schedule = schedule;
    }

    /** A repairer that runs only when asked ({@link #runOnce}). */
    public static Repairer manual(VaultClient vault, MetadataStore store) {
        return new Repairer(vault, store, null);
    }

    /** A repairer that runs a pass every {@code interval}, the first one an interval after start. */
    public static Repairer scheduled(VaultClient vault, MetadataStore store, Duration interval) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "repairer");
            t.setDaemon(true);
            return t;
        });
        Repairer repairer = new Repairer(vault, store, s);
        s.scheduleWithFixedDelay(repairer::runLogged, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return repairer;
    }

    private void runLogged() {
        try {
            runOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A failed pass (the database down, say) must not end the schedule.
            LOG.warn("repair pass failed: {}", e.toString());
        }
    }

    /** One pass over the whole vault; returns what it did. */
    public synchronized Report runOnce() throws InterruptedException {
        int n = vault.daemonCount();
        List<Optional<Set<String>>> held = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            Optional<Set<String>> ids = vault.storedDocumentIds(p);
            held.add(ids);
            if (ids.isEmpty()) {
                unreachable.add(vault.daemonId(p));
            }
        }
        List<String> repaired = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        int checked = 0;
        String after = "";
        for (List<DocumentRecord> page; !(page = store.storedDocuments(after, PAGE)).isEmpty(); ) {
            for (DocumentRecord d : page) {
                checked++;
                for (int p = 0; p < n; p++) {
                    if (held.get(p).isPresent() && !held.get(p).get().contains(d.documentId())) {
                        repair(d, p, repaired, failed);
                    }
                }
            }
            after = page.get(page.size() - 1).documentId();
        }
        Report report = new Report(checked, repaired, failed, unreachable);
        if (!repaired.isEmpty() || !failed.isEmpty()) {
            LOG.info("repair pass: {} documents checked, {} slices repaired, {} repairs failed, daemons not reached: {}",
                    checked, repaired.size(), failed.size(), unreachable);
        }
        return report;
    }

    private void repair(DocumentRecord d, int position, List<String> repaired, List<String> failed)
            throws InterruptedException {
        String what = d.documentId() + " on " + vault.daemonId(position);
        Optional<Receipt> receipt = store.findReceipt(d.documentId());
        if (receipt.isEmpty()) {
            failed.add(what);
            LOG.warn("repair {}: no receipt recorded", what);
            return;
        }
        try {
            if (vault.repair(receipt.get(), position) == VaultClient.RepairOutcome.REPAIRED) {
                repaired.add(what);
                store.audit(AuditEntry.of(d.owner(), "repair", d.documentId(), "ok", "slice restored on "
                        + vault.daemonId(position)));
            }
        } catch (RetrievalFailedException | DepositFailedException e) {
            failed.add(what);
            LOG.warn("{}", e.getMessage());
            store.audit(AuditEntry.of(d.owner(), "repair", d.documentId(), "failed", vault.daemonId(position)));
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
    }
}
