"""The dedup job of `retrace-eval dedup-bench`, done by datasketch and by rensa.

Reads the `text` field of every line of a corpus.jsonl.gz, makes the same 5-word shingles as
retrace-sketch (lower-cased runs of letters and digits, apostrophes inside words dropped),
builds 128-permutation MinHashes, indexes them in an LSH at the given Jaccard threshold and
queries every document. The corpus is streamed: of each document only its MinHash is kept.
Writes the pairs found (`i j`, line numbers from 0) and a JSON line of figures.
Usage: dedup_bench.py LIB CORPUS THRESHOLD OUT_PAIRS (LIB: datasketch or rensa).
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


def index_and_query(lsh, hashes):
    """Inserts every non-empty document, queries each, and returns the pairs found."""
    pairs = set()
    for i, m in enumerate(hashes):
        if m is not None:
            lsh.insert(i, m)
    for i, m in enumerate(hashes):
        if m is not None:
            for j in lsh.query(m):
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
    return pairs


def rensa_bands(threshold):
    """rensa wants bands that divide 128: the one whose S-curve crosses one half nearest the
    threshold."""
    def midpoint(b):
        return (1 - 0.5 ** (1 / b)) ** (b / 128)
    return min((8, 16, 32, 64), key=lambda b: abs(midpoint(b) - threshold))


def main():
    lib, corpus, threshold, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    if lib == "datasketch":
        from datasketch import MinHash, MinHashLSH

        def minhash(s):
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([x.encode("utf-8") for x in s])
            return m

        def make_lsh():
            return MinHashLSH(threshold=threshold, num_perm=128)
        bands = "datasketch's choice"
    elif lib == "rensa":
        from rensa import RMinHash, RMinHashLSH

        def minhash(s):
            m = RMinHash(num_perm=128, seed=1)
            m.update(s)
            return m
        bands = rensa_bands(threshold)

        def make_lsh():
            return RMinHashLSH(threshold=threshold, num_perm=128, num_bands=bands)
    else:
        raise SystemExit(f"unknown library {lib}")
    # Streamed: per document the shingle set, then its MinHash; only the MinHash is kept (None
    # for a document without shingles, which is neither indexed nor queried). Reading and JSON
    # parsing are not timed; the two stages are timed per document and summed.
    hashes = []
    shingle_s = minhash_s = 0.0
    clock = time.perf_counter
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text", "")
            started = clock()
            s = shingles(text)
            shingled = clock()
            m = minhash(s)
            minhash_s += clock() - shingled
            shingle_s += shingled - started
            hashes.append(m if s else None)
    started = clock()
    pairs = index_and_query(make_lsh(), hashes)
    lsh_s = clock() - started
    with open(out, "w") as f:
        for i, j in sorted(pairs):
            f.write(f"{i} {j}\n")
    print(json.dumps({
        "lib": lib,
        "docs": len(hashes),
        "shingle_s": round(shingle_s, 3),
        "minhash_s": round(minhash_s, 3),
        "lsh_s": round(lsh_s, 3),
        "total_s": round(shingle_s + minhash_s + lsh_s, 3),
        "pairs": len(pairs),
        "bands": bands,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }))


if __name__ == "__main__":
    main()
