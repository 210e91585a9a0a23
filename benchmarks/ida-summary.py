#!/usr/bin/env python3
"""Summarises one ida-vs-peers.sh run: peers' RESULT lines and e-Vault's JMH json, as medians in
GB/s (1e9 bytes of document per second, one thread) with the ratios the targets use."""
import json
import statistics
import sys

peers_file, jmh_file = sys.argv[1], sys.argv[2]
peer = {}  # (impl, op, m, n) -> median MB/s
header = []
for line in open(peers_file):
    if line.startswith('#'):
        header.append(line.strip())
    if line.startswith('RESULT,'):
        _, impl, op, m, n, med, *_ = line.strip().split(',')
        peer[(impl, op, int(m), int(n))] = float(med)

ours = {}  # (bench, kernel, shape) -> median B/s
for b in json.load(open(jmh_file)):
    name = b['benchmark'].rsplit('.', 1)[1]
    params = b.get('params', {})
    metric = b['secondaryMetrics'].get('documentBytes')
    if metric is None:
        continue
    raw = [v for fork in metric['rawData'] for v in fork]
    ours[(name, params.get('kernel', ''), params.get('shape', ''), params.get('segmentSize', ''))] = statistics.median(raw)


def gb(v):
    return f'{v / 1e9:.2f}' if v else 'n/a'


def ratio(a, b):
    return f'{a / b:.2f}x' if a and b else 'n/a'


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
for m, n in [(2, 3), (3, 5), (10, 14)]:
    for op, peer_op in [('encode', 'enc_sys'), ('decode', 'dec_sys')]:
        vec = ours.get((op, 'preferred', f'{m}:{n}', '1048576'))
        sca = ours.get((op, 'scalar', f'{m}:{n}', '1048576'))
        vec64 = ours.get((op, 'preferred', f'{m}:{n}', '65536'))
        sca64 = ours.get((op, 'scalar', f'{m}:{n}', '65536'))
        paths = ['isal-dispatch', 'isal-avx512', 'isal-avx2']
        isal = max([peer[(p, peer_op, m, n)] for p in paths if (p, peer_op, m, n) in peer], default=None)
        isal = isal * 1e6 if isal else None
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
