"""Generates english_words.txt: the common American English words the typo corrector leaves
alone (a real word the facts do not use is a sign of an unanswered question, not a typo).

The words of 4 to 12 lowercase ASCII letters of SCOWL's small American list (Debian's
wamerican-small), and those of its medium list (Debian's wamerican) that are in common use
(wordfreq's Zipf value 3.0 or more: "deployed", "layoffs", "pandemic"), so that a news word the
small list lacks is not "corrected" into another word ("deployed" into "deplored"); but not
a word of the Spanish glossary (es_en.txt: "chino", "mayo", "padre"), which tells a Spanish
question from an English one.
usage: python3 english_words.py > english_words.txt  (needs Debian's wamerican and
wamerican-small, and `pip install wordfreq`; wordfreq 3.1)
After a change, regenerate english_frequency.bin (word_frequency.py), which follows this
list's order."""
from wordfreq import zipf_frequency

HEADER = """# Common American English words, lowercase, 4 to 12 letters: the typo corrector leaves these
# alone, because a real word the facts do not use is a sign of an unanswered question, not a typo.
# From SCOWL via Debian's wamerican-small and wamerican (english_words.py); Copyright 2000-2011 by
# Kevin Atkinson (see README.md)."""


def words(path):
    return {w for w in (line.strip() for line in open(path))
            if w.isascii() and w.isalpha() and w.islower() and 4 <= len(w) <= 12}


small = words("/usr/share/dict/american-english-small")
spanish = {line.split(":")[0].strip() for line in open("es_en.txt")
           if ":" in line and not line.startswith("#")}
medium = {w for w in words("/usr/share/dict/american-english")
          if zipf_frequency(w, "en") >= 3.0 and w not in spanish}
print(HEADER)
print("\n".join(sorted(small | medium)))
