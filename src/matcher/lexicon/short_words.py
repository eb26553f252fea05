"""Generates short_words_en.txt: the three-letter words in common English use (wordfreq's Zipf
value 3.0 and over: words, abbreviations and names alike: "tea", "log", "gdp", "bob"). The
English list (english_words.txt) starts at four letters; a three-letter word a question uses
that is not here is read as a slip for the one word of the facts a letter longer ("tec" for
tech, "cst" for cost), see `Corrector::lengthened` in src/matcher/typo.rs.
usage: python3 short_words.py > short_words_en.txt  (needs `pip install wordfreq`)"""
from wordfreq import top_n_list, zipf_frequency

print("# Three-letter words in common English use (wordfreq 3.1, Zipf 3.0 and over), one a line.")
print("# A three-letter word of a question that is not here may be read as a slip for a longer")
print("# word of the facts. Made by short_words.py; see README.md.")
words = {w for w in top_n_list("en", 200000)
         if len(w) == 3 and w.isascii() and w.isalpha() and zipf_frequency(w, "en") >= 3.0}
for word in sorted(words):
    print(word)
