"""What the WordNet scripts share: the common-word and stop-word lists of this folder, and
WordNet 3.0's synsets with their pointers (Debian wordnet-base's data.* files)."""

POS_FILES = {'n': 'noun', 'v': 'verb', 'a': 'adj', 's': 'adj', 'r': 'adv'}


def word_filter(lex):
    """A test for a word both sides of a relation must pass: plain letters, in the SCOWL
    common-word list, not a stop word or filler."""
    common = set(l.strip() for l in open(lex + '/english_words.txt') if l.strip() and not l.startswith('#'))
    stop = set()
    for f in ['stopwords_en.txt', 'filler.txt']:
        for l in open(lex + '/' + f):
            l = l.strip()
            if l and not l.startswith('#'): stop.update(l.split())
    return lambda w: w.isalpha() and w in common and w not in stop


def load_data(wn, pos):
    """offset -> (words, pointers) of one part of speech; a pointer is (symbol, target offset,
    target part of speech, source word number, target word number)."""
    syn = {}
    for line in open(wn + 'data.' + pos, encoding='latin-1'):
        if line.startswith('  '): continue
        parts = line.split(' | ')[0].split()
        n = int(parts[3], 16)
        words = [parts[4 + 2 * i].lower().split('(')[0] for i in range(n)]
        i = 4 + 2 * n; pc = int(parts[i]); ptrs = []
        for j in range(pc):
            sym, toff, tpos, st = parts[i + 1 + 4 * j:i + 5 + 4 * j]
            ptrs.append((sym, toff, tpos, int(st[:2], 16), int(st[2:], 16)))
        syn[parts[0]] = (words, ptrs)
    return syn


def load_all(wn):
    return {p: load_data(wn, p) for p in ['noun', 'verb', 'adj', 'adv']}
