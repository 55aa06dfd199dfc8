#!/usr/bin/env python3
"""Deterministic WordCount input: N lines (default 1,000,000) on stdout.

Each line has 1..12 words drawn from a fixed vocabulary of 5,000 random
7-letter lowercase words (as in Pathway's WordCount benchmark). Stdlib only.

Usage: gen_lines.py [N] [--seed S] [--words-total]
  --words-total  print only the total number of words the N lines hold
"""
import random
import string
import sys

VOCAB_SIZE = 5000
WORD_LEN = 7
MAX_WORDS = 12


def main(argv):
    n = 1_000_000
    seed = 42
    words_total = False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--seed":
            seed = int(args.pop(0))
        elif a == "--words-total":
            words_total = True
        else:
            n = int(a.replace("_", ""))
    rng = random.Random(seed)
    letters = string.ascii_lowercase
    vocab = set()
    while len(vocab) < VOCAB_SIZE:
        vocab.add("".join(rng.choice(letters) for _ in range(WORD_LEN)))
    vocab = sorted(vocab)
    total = 0
    out = sys.stdout
    buf = []
    for _ in range(n):
        k = rng.randint(1, MAX_WORDS)
        total += k
        if not words_total:
            buf.append(" ".join(rng.choices(vocab, k=k)))
            if len(buf) >= 10000:
                out.write("\n".join(buf))
                out.write("\n")
                buf.clear()
        else:
            rng.choices(vocab, k=k)
    if words_total:
        out.write(f"{total}\n")
    elif buf:
        out.write("\n".join(buf))
        out.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
