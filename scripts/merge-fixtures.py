#!/usr/bin/env python3
# scripts/merge-fixtures.py — merges the keys of a freshly generated ops.json that the committed one lacks,
# leaving every existing entry byte-identical (helpers add op database entries in parallel branches).
# Usage: python3 scripts/merge-fixtures.py NEW.json test/fixtures/ops.json
import json
import sys


def entries(path):
    with open(path) as f:
        lines = f.read().strip().split('\n')
    assert lines[0] == '{' and lines[-1] == '}'
    out = {}
    for line in lines[1:-1]:
        line = line.rstrip(',')
        key = json.loads(line[:line.index('": ') + 1])
        out[key] = line
    return out


def main():
    new, old = entries(sys.argv[1]), entries(sys.argv[2])
    added = [k for k in new if k not in old]
    merged = {**old, **{k: new[k] for k in added}}
    with open(sys.argv[2], 'w') as f:
        f.write('{\n' + ',\n'.join(merged[k] for k in sorted(merged)) + '\n}\n')
    print(f'{len(added)} keys added', file=sys.stderr)


if __name__ == '__main__':
    main()
