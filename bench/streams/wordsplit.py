"""The WordCount tokenizer every peer and checker shares: Java's
line.toLowerCase().split("\\W+") (ASCII \\W; a leading "" is kept, trailing ones dropped,
and "" gives [""]). Stdlib only, imported from the scripts beside it."""
import re

NON_WORD = re.compile(r"[^A-Za-z0-9_]+")


def split_words(line):
    """The words of `line` as Kafka's WordCount demo splits them."""
    if not line:
        return [""]
    words = NON_WORD.split(line.lower())
    while words and words[-1] == "":
        words.pop()
    return words
