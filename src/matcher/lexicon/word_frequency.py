"""Generates english_frequency.txt: how common each word of english_words.txt is in English
text, as wordfreq's Zipf value (log10 of uses per billion words) times ten, for the words of
3.0 and over (rarer ones are left out and read as rare). The misspelling reader
(src/matcher/misspelt.rs) uses it to choose between the words one slip away from a
misspelling: "bakc" is one slip from "back" (6.0) and "bake" (3.9); a member means "back".
usage: python3 word_frequency.py LEXICON_DIR > english_frequency.txt  (needs `pip install wordfreq`)"""
import sys
from wordfreq import zipf_frequency

LEX = sys.argv[1]
words = [line.strip() for line in open(f"{LEX}/english_words.txt")
         if line.strip() and not line.startswith("#")]
print("# How common each word of english_words.txt is: `word: Zipf value times ten` (wordfreq "
      "3.1, English),")
print("# for the words of 3.0 and over. Made by word_frequency.py; see README.md.")
for word in sorted(set(words)):
    zipf = zipf_frequency(word, "en")
    if zipf >= 3.0:
        print(f"{word}: {round(zipf * 10)}")
