"""The dedup job of `retrace-eval dedup-bench`, done by datasketch and by rensa.

Reads the `text` field of every line of a corpus.jsonl.gz, makes the same 5-word shingles as
retrace-sketch (lower-cased runs of letters and digits, apostrophes inside words dropped),
builds 128-permutation MinHashes, indexes them in an LSH at the given Jaccard threshold and
queries every document. Writes the pairs found (`i j`, line numbers from 0) and a JSON line of
figures. Usage: dedup_bench.py LIB CORPUS THRESHOLD OUT_PAIRS (LIB: datasketch or rensa).
"""

import gzip
import json
import re
import resource
import sys
import time

WORD = re.compile(r"[^\W_]+")


def shingles(text):
    words = WORD.findall(text.replace("'", "").replace("\u2019", "").lower())
    if not words:
        return []
    if len(words) < 5:
        return [" ".join(words)]
    return list({" ".join(words[i:i + 5]) for i in range(len(words) - 4)})


def index_and_query(lsh, hashes, sets):
    """Inserts every non-empty document, queries each, and returns the pairs found."""
    pairs = set()
    for i, m in enumerate(hashes):
        if sets[i]:
            lsh.insert(i, m)
    for i, m in enumerate(hashes):
        if sets[i]:
            for j in lsh.query(m):
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def main():
    lib, corpus, threshold, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        texts = [json.loads(line).get("text", "") for line in f]
    started = time.perf_counter()
    sets = [shingles(t) for t in texts]
    shingled = time.perf_counter()
    if lib == "datasketch":
        from datasketch import MinHash, MinHashLSH
        hashes = []
        for s in sets:
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([x.encode("utf-8") for x in s])
            hashes.append(m)
        sketched = time.perf_counter()
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        pairs = index_and_query(lsh, hashes, sets)
    elif lib == "rensa":
        from rensa import RMinHash, RMinHashLSH
        hashes = []
        for s in sets:
            m = RMinHash(num_perm=128, seed=1)
            m.update(s)
            hashes.append(m)
        sketched = time.perf_counter()
        # rensa wants bands that divide 128: the one whose S-curve crosses one half nearest the
        # threshold.
        def midpoint(b):
            return (1 - 0.5 ** (1 / b)) ** (b / 128)
        bands = min((8, 16, 32, 64), key=lambda b: abs(midpoint(b) - threshold))
        lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=bands)
        pairs = index_and_query(lsh, hashes, sets)
    else:
        raise SystemExit(f"unknown library {lib}")
    done = time.perf_counter()
    with open(out, "w") as f:
        for i, j in sorted(pairs):
            f.write(f"{i} {j}\n")
    print(json.dumps({
        "lib": lib,
        "docs": len(texts),
        "shingle_s": round(shingled - started, 3),
        "minhash_s": round(sketched - shingled, 3),
        "lsh_s": round(done - sketched, 3),
        "total_s": round(done - started, 3),
        "pairs": len(pairs),
        "bands": bands if lib == "rensa" else "datasketch's choice",
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
