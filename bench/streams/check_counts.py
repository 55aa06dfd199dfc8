#!/usr/bin/env python3
"""Check a WordCount output against its input (stdlib only).

Usage: kcat -C -b BOOTSTRAP -t OUTPUT -e -o beginning -q -s value=q -f '%k %s %S\\n' \\
         | check_counts.py INPUT_LINES_FILE [RECORDS_WRITTEN]
Reads "<word> <count> <value bytes>" lines; checks that every value is 8 bytes,
that each word's largest count equals its number of occurrences in the input,
and that the output got one record per input word: RECORDS_WRITTEN (the sum of
high watermarks, see count_records.py) if given, else the records read. The
mock broker keeps only the last 5 MiB of a partition, so a long output can't be
read whole; the final counts, written last, are what it keeps.
Prints a summary; exits 1 on a mismatch.
"""
import sys
from collections import Counter

from wordsplit import split_words

def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    expected = Counter()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            expected.update(split_words(line.rstrip("\n")))
    seen = {}
    records = 0
    bad_size = 0
    for rec in sys.stdin:
        word, count, size = rec.rstrip("\n").rsplit(" ", 2)
        records += 1
        if size != "8":
            bad_size += 1
        n = int(count)
        if n > seen.get(word, 0):
            seen[word] = n
    total = sum(expected.values())
    written = int(sys.argv[2]) if len(sys.argv) == 3 else records
    wrong = [w for w in expected.keys() | seen.keys() if expected.get(w) != seen.get(w)]
    print(f"records written {written} (expected {total}), read {records}, words {len(seen)} (expected "
          f"{len(expected)}), wrong final counts {len(wrong)}, values not 8 bytes {bad_size}")
    if written != total or wrong or bad_size:
        for w in sorted(wrong)[:10]:
            print(f"  {w!r}: got {seen.get(w)}, expected {expected.get(w)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
