#!/usr/bin/env python3
"""seeds.py: writes the seed corpus of the rule parser fuzzer (tests/fuzz/README.md).

    tests/fuzz/seeds.py OUTDIR [ET_RULES_DIR]

Real rules first: from every ET Open file (default ../shared/rules/etopen/suricata-7.0.3), the
rules that add keywords or header forms not seen yet (a few per file), each in a file of its own;
every rule of rules/kanshi.rules; a few multi-rule files (flowbits setters and readers, duplicate
sids, shared patterns, IP-only rules) so building has something to group. Then hand-written edge
cases. File names are seed-<kind>-<sha1 prefix>."""
import hashlib
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def options(rule):
    m = rule.find('(')
    return re.findall(r'(?:^|;)\s*([a-zA-Z0-9_.\-]+)\s*(?::|;)', rule[m + 1:]) if m >= 0 else []


def header_features(rule):
    head = rule.split('(', 1)[0].split()
    feats = set()
    if len(head) >= 7:
        feats.add('proto:' + head[1])
        feats.add('dir:' + head[4])
        for i, f in ((2, 'src'), (3, 'sp'), (5, 'dst'), (6, 'dp')):
            shape = ''.join(c for c in '[]!$,:/.-' if c in head[i])  # the form, not the values
            feats.add('%s:%s%s' % (f, shape, 'any' if head[i] == 'any' else ''))
    return feats


def features(rule):
    feats = header_features(rule)
    for kw in options(rule):
        feats.add('kw:' + kw)
    for m in re.finditer(r'(\w+):([^;"]{1,40});', rule):  # option value shapes
        if m.group(1) in ('flow', 'flowbits', 'threshold', 'byte_test', 'byte_jump',
                          'byte_extract', 'byte_math', 'isdataat', 'detection_filter',
                          'xbits', 'flags', 'dsize', 'fast_pattern', 'app-layer-event'):
            for part in m.group(2).split(','):
                feats.add('val:%s:%s' % (m.group(1), re.sub(r'[0-9]+', '9', part.strip())[:20]))
    for m in re.finditer(r'pcre:"[^"]*/([A-Za-z]*)"', rule):
        feats.add('pcreflags:' + ''.join(sorted(set(m.group(1)))))
    return feats


def write(outdir, kind, text, written):
    data = text.encode('utf-8', 'surrogateescape')
    h = hashlib.sha1(data).hexdigest()[:12]
    if h in written:
        return
    written.add(h)
    with open(os.path.join(outdir, 'seed-%s-%s' % (kind, h)), 'wb') as f:
        f.write(data)


def rules_of(path):
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        return [l.rstrip('\n') for l in f if re.match(r'^(alert|drop|pass|reject)\s', l)]


def et_seeds(etdir, outdir, written, per_file=3):
    """Every rule that adds a feature not seen yet (most new features first), then the first,
    a middle and the longest rule of each file up to per_file."""
    files = {}
    for name in sorted(os.listdir(etdir)):
        if name.endswith('.rules'):
            files[name] = rules_of(os.path.join(etdir, name))
    allrules = [(name, r, features(r)) for name in files for r in files[name]]
    seen, picked, count = set(), [], {}
    while True:
        best = max(allrules, key=lambda x: len(x[2] - seen), default=None)
        if not best or not best[2] - seen:
            break
        seen |= best[2]
        picked.append(best[1])
        count[best[0]] = count.get(best[0], 0) + 1
    for name, rules in files.items():
        extra = [rules[0], rules[len(rules) // 2], max(rules, key=len)] if rules else []
        for r in extra:
            if count.get(name, 0) >= per_file:
                break
            if r not in picked:
                picked.append(r)
                count[name] = count.get(name, 0) + 1
    for r in picked:
        write(outdir, 'et', r + '\n', written)
    return picked


def main():
    outdir = sys.argv[1]
    etdir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        ROOT, '..', 'shared', 'rules', 'etopen', 'suricata-7.0.3')
    os.makedirs(outdir, exist_ok=True)
    written = set()
    picked = et_seeds(etdir, outdir, written)
    for r in rules_of(os.path.join(ROOT, 'rules', 'kanshi.rules')):
        write(outdir, 'kanshi', r + '\n', written)
    for i in range(0, len(picked), 8):  # a few rules together: grouping, ordering, duplicates
        write(outdir, 'etmulti', '\n'.join(picked[i:i + 8]) + '\n', written)
    with open(os.path.join(HERE, 'edge-cases.rules'), encoding='utf-8',
              errors='surrogateescape') as f:
        for block in f.read().split('\n#==\n')[1:]:  # one seed per block
            write(outdir, 'edge', block.rstrip('\n') + '\n', written)
    print('%d seeds in %s (%d ET rules)' % (len(written), outdir, len(picked)))


if __name__ == '__main__':
    main()
