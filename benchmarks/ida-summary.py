#!/usr/bin/env python3
"""Summarises one ida-vs-peers.sh or ida-sitting.sh run: peers' RESULT lines and e-Vault's JMH json,
as medians in GB/s (1e9 bytes of document per second, one thread) with the ratios the targets use.

    ida-summary.py PEERS.txt JMH.json      one sitting
    ida-summary.py --rounds DIR            an interleaved sitting (DIR/round-N/{peers.txt,jmh.json})
"""
import json
import statistics
import sys



def load_peers(path):
    """RESULT lines of bench_c and the peers' Java harness: (impl, op, m, n) -> median MB/s."""
    peer, header = {}, []
    for line in open(path):
        if line.startswith('#'):
            header.append(line.strip())
        if line.startswith('RESULT,'):
            _, impl, op, m, n, med, *_ = line.strip().split(',')
            peer[(impl, op, int(m), int(n))] = float(med)
    return peer, header


def load_jmh(path):
    """IdaBenchmark's json: (bench, kernel, shape, segmentSize) -> median bytes of document/s."""
    ours = {}
    for b in json.load(open(path)):
        name = b['benchmark'].rsplit('.', 1)[1]
        params = b.get('params', {})
        metric = b['secondaryMetrics'].get('documentBytes')
        if metric is None:
            continue
        raw = [v for fork in metric['rawData'] for v in fork]
        ours[(name, params.get('kernel', ''), params.get('shape', ''), params.get('segmentSize', ''))] = statistics.median(raw)
    return ours


def isal_best(peer, peer_op, m, n):
    """ISA-L's fastest path in bytes/s: dispatch, AVX-512 or AVX2 (decode has only dispatch)."""
    paths = ['isal-dispatch', 'isal-avx512', 'isal-avx2']
    best = max([peer[(p, peer_op, m, n)] for p in paths if (p, peer_op, m, n) in peer], default=None)
    return best * 1e6 if best else None


SHAPES = [(2, 3), (3, 5), (10, 14)]
OPS = [('encode', 'enc_sys'), ('decode', 'dec_sys')]


def rounds_summary(directory):
    """Interleaved sitting (ROUNDS=N ida-sitting.sh): the median of per-round vector/ISA-L ratios."""
    import glob
    import os
    dirs = sorted(glob.glob(os.path.join(directory, 'round-*')), key=lambda d: int(d.rsplit('-', 1)[1]))
    rows = {}
    for d in dirs:
        peer, _ = load_peers(os.path.join(d, 'peers.txt'))
        ours = load_jmh(os.path.join(d, 'jmh.json'))
        for m, n in SHAPES:
            for op, peer_op in OPS:
                vec = ours.get((op, 'preferred', f'{m}:{n}', '1048576'))
                isal = isal_best(peer, peer_op, m, n)
                rows.setdefault((m, n, op), []).append((vec, isal))
    print('# IDA: e-Vault vector kernel against ISA-L, interleaved rounds')
    print()
    print(f'{len(dirs)} rounds; in each, JMH (1 MiB pieces, 3 x 1 s after 2 x 1 s of warm-up) and then')
    print('ISA-L (`ONLY=isal REPS=3 bench_c`). GB/s of document, one thread; ISA-L = the fastest of its')
    print('dispatch, AVX-512 and AVX2 paths. Ratio = median over rounds of vector / ISA-L in that round.')
    print()
    print('| m, n | op | e-Vault vector (median) | ISA-L best (median) | ratio per round | median ratio | rounds at 0.8x or more |')
    print('|---|---|---|---|---|---|---|')
    for (m, n, op), pairs in rows.items():
        ok = [(v, i) for v, i in pairs if v and i]
        ratios = [v / i for v, i in ok]
        vec = statistics.median([v for v, _ in ok]) if ok else None
        isal = statistics.median([i for _, i in ok]) if ok else None
        each = ' '.join(f'{r:.2f}' for r in ratios)
        med = f'**{statistics.median(ratios):.2f}x**' if ratios else 'n/a'
        print(f'| {m}, {n} | {op} | {gb(vec)} | {gb(isal)} | {each} | {med} | {sum(r >= 0.8 for r in ratios)} of {len(ratios)} |')


def gb(v):
    return f'{v / 1e9:.2f}' if v else 'n/a'


def ratio(a, b):
    return f'{a / b:.2f}x' if a and b else 'n/a'


if sys.argv[1] == '--rounds':
    rounds_summary(sys.argv[2])
    sys.exit(0)
peer, header = load_peers(sys.argv[1])
ours = load_jmh(sys.argv[2])
print('# IDA: e-Vault against the peers, one run')
print()
for h in header:
    print('    ' + h)
print()
print('GB/s of document, one thread, medians. ISA-L = the fastest of its dispatch, AVX-512 and AVX2')
print('paths (encode; decode has only dispatch). Pieces of 1 MiB per slice per stripe, as the peers\'')
print('harness uses; the last columns give e-Vault with its own 64 KiB segments.')
print('"Java scalar peer" = Backblaze JavaReedSolomon when its jar was given, else the harness\'s')
print('java-scalar-table (the same Backblaze-style loop; 0.97-1.0x Backblaze in the reference run).')
print()
print('| m, n | op | e-Vault vector | ISA-L best | vector / ISA-L | e-Vault pure Java | Java scalar peer | pure Java / peer | vector, 64 KiB | pure Java, 64 KiB |')
print('|---|---|---|---|---|---|---|---|---|---|')
for m, n in SHAPES:
    for op, peer_op in OPS:
        vec = ours.get((op, 'preferred', f'{m}:{n}', '1048576'))
        sca = ours.get((op, 'scalar', f'{m}:{n}', '1048576'))
        vec64 = ours.get((op, 'preferred', f'{m}:{n}', '65536'))
        sca64 = ours.get((op, 'scalar', f'{m}:{n}', '65536'))
        isal = isal_best(peer, peer_op, m, n)
        bb = peer.get(('backblaze-JavaReedSolomon@jdk17', peer_op, m, n)) or \
            peer.get(('java-scalar-table@jdk17', peer_op, m, n))
        bb = bb * 1e6 if bb else None
        print(f'| {m}, {n} | {op} | {gb(vec)} | {gb(isal)} | {ratio(vec, isal)} | {gb(sca)} | {gb(bb)} | {ratio(sca, bb)} | {gb(vec64)} | {gb(sca64)} |')
print()
fp = ours.get(('fingerprint', '', '', ''))
raw = ours.get(('rawSha256', '', '', ''))
print('| fingerprinting (GB/s of slice bytes) | raw MessageDigest SHA-256 | ratio |')
print('|---|---|---|')
print(f'| {gb(fp)} | {gb(raw)} | {ratio(fp, raw)} |')
