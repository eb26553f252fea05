"""Generates english_frequency.bin: how common each word of english_words.txt is in English
text, one byte a word in the list's order (sorted, as the matcher holds it): wordfreq's Zipf
value (log10 of uses per billion words) times ten, or 0 below 3.0 (read as rare). The
misspelling reader (src/matcher/misspelt.rs) uses it to choose between the words one slip
away from a misspelling: "bakc" is one slip from "back" (60) and "bake" (39); a member means
"back". One byte a word beside the list the matcher already holds costs 38 KB, and nothing is
built when a process starts.
usage: python3 word_frequency.py LEXICON_DIR  (writes LEXICON_DIR/english_frequency.bin; needs
`pip install wordfreq`)"""
import sys
from wordfreq import zipf_frequency

LEX = sys.argv[1]
words = sorted({line.strip() for line in open(f"{LEX}/english_words.txt")
                if line.strip() and not line.startswith("#")})
table = bytearray()
for word in words:
    zipf = round(zipf_frequency(word, "en") * 10)
    table.append(zipf if zipf >= 30 else 0)
open(f"{LEX}/english_frequency.bin", "wb").write(bytes(table))
