#!/usr/bin/env python3
"""Fits the matcher's confidence model: the bias and weights in `[matching]
confidence_weights` and the threshold `answer_confidence` (see `Matcher::confidence`).

usage: python3 src/matcher/calibrate.py [--bin target/release/factbot] [--check]

It asks the release binary every question of the TUNING sets (`ask --explain --json`), against
the bundled facts and against sparse copies of them (first one and first two question
patterns, no synonyms: facts as a moderator writes them for a new story), and records for
each question the best candidate's signals and whether that candidate is right: its answer
holds one of the case's `expect_any` strings; an out-of-scope question is never right. A
logistic regression (Newton's method on standardised features, L2 of 1, wrong answers weighed
twice: a wrong answer is worse than "I don't know") is fitted on those, and the threshold that
maximises tuning accuracy, less one per wrong answer, is chosen. Accuracy is counted as the
matcher decides: a best fact within `ambiguity_margin` of the next, or vetoed, is never
answered whatever its confidence. It then reports the HELD-OUT sets, which it never fits on.

Tuning sets: the public dev sample, tests/eval/heldout.jsonl and heldout2.jsonl.
Held out: tests/eval/heldout3.jsonl, heldout4.jsonl and the second story, tests/eval/story2/.
Needs numpy. With --check it only reports the current defaults (from the config in use).
"""
import argparse, json, pathlib, subprocess, sys, tempfile, tomllib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
TUNING = [SHARED / "eval/dev.jsonl", ROOT / "tests/eval/heldout.jsonl", ROOT / "tests/eval/heldout2.jsonl"]
HELD_OUT = [(ROOT / "tests/eval/heldout3.jsonl", ROOT / "facts"), (ROOT / "tests/eval/heldout4.jsonl", ROOT / "facts"), (ROOT / "tests/eval/story2/questions.jsonl", ROOT / "tests/eval/story2/facts")]
# The defaults of `[matching]` that gate the decision besides the confidence (settings.rs):
# a score from which the fact is answered whatever the confidence, the margin under which the
# best fact is ambiguous, the missing share that vetoes it and the least evidence it needs.
SCORE_ALONE = 0.5
MARGIN = 0.05
MISSING_VETO = float(__import__("os").environ.get("MISSING_VETO", "1.0"))
MIN_EVIDENCE = 0.55
# `confidence_max_unknown`: above this unknown share only the score answers.
CONFIDENCE_MAX_UNKNOWN = 0.5
# Feature order of `Matcher::features`: score, margin, …, evidence, missing share.
MARGIN_AT, UNKNOWN_AT, EVIDENCE_AT, MISSING_AT = 1, 4, 6, 7
WRONG_COST = float(__import__("os").environ.get("WRONG_COST", "1.0"))
SPARSE = SHARED / "tools/sparse_facts.py"


def sparse_copy(facts, keep, into):
    subprocess.run([sys.executable, str(SPARSE), str(facts), str(into), str(keep)], check=True)
    return into


def answers_of(facts):
    answers = {}
    for path in pathlib.Path(facts).glob("*.toml"):
        for fact in tomllib.load(open(path, "rb")).get("facts", []):
            answers[fact["id"]] = fact["answer"].lower()
    return answers


def examples(binary, config, questions, facts):
    """One row per question: (features or None, right, out_of_scope, status)."""
    cases = [json.loads(line) for line in open(questions) if line.strip()]
    text = "".join(c["q"].replace("\n", " ") + "\n" for c in cases)
    run = subprocess.run([binary, "ask", "--json", "--explain", "--facts", str(facts), "--config", config],
                         input=text, capture_output=True, text=True, check=True)
    answers = answers_of(facts)
    rows, features = [], None
    for line in run.stdout.splitlines():
        if line.startswith("confidence:"):
            features = [float(x) for x in line.split("=", 1)[1].split()]
        elif line.startswith("{"):
            out = json.loads(line)
            case = cases[len(rows)]
            top = out["candidates"][0]["id"] if out["candidates"] else None
            oos = case.get("kind") == "out_of_scope"
            right = (not oos and top is not None
                     and any(e.lower() in answers.get(top, "") for e in case.get("expect_any", [])))
            rows.append((features if top else None, right, oos, out["status"], case))
            features = None
    assert len(rows) == len(cases), (len(rows), len(cases))
    return rows


def fit(x, y, w, l2=1.0, steps=50):
    x1 = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(x1.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x1 @ beta))
        grad = x1.T @ (w * (p - y)) + l2 * np.r_[0, beta[1:]]
        hess = (x1 * (w * p * (1 - p))[:, None]).T @ x1 + l2 * np.diag(np.r_[0, np.ones(len(beta) - 1)])
        beta -= np.linalg.solve(hess, grad)
    return beta


def accuracy(rows, beta, threshold, wrong_cost=0.0):
    """Share right, less `wrong_cost` per wrong answer; and how many out-of-scope answered."""
    right = wrong = oos_answered = 0
    for features, is_right, oos, _, _ in rows:
        answered = features is not None and gates_pass(features) and (
            features[0] >= SCORE_ALONE
            or features[UNKNOWN_AT] <= CONFIDENCE_MAX_UNKNOWN and 1 / (1 + np.exp(-(beta[0] + np.dot(beta[1:], features)))) >= threshold)
        right += (answered and is_right) or (not answered and oos)
        wrong += answered and not is_right
        oos_answered += answered and oos
    return (right - wrong_cost * wrong) / len(rows), oos_answered


def gates_pass(features):
    """What the matcher asks of a best fact before its confidence counts."""
    return (features[MARGIN_AT] >= MARGIN and features[MISSING_AT] < MISSING_VETO
            and features[EVIDENCE_AT] >= MIN_EVIDENCE)


def fit_raw(x, y, w):
    """Fits on standardised features (so one L2 suits all) and returns the weights of the raw
    features the matcher computes."""
    mu, sd = x.mean(0), x.std(0) + 1e-6
    beta = fit((x - mu) / sd, y, w)
    raw = beta[1:] / sd
    return np.r_[beta[0] - np.dot(raw, mu), raw]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "target/release/factbot"))
    parser.add_argument("--config", default=None, help="a config file whose [matching] to use")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        config = args.config or str(tmp / "empty.toml")
        if not args.config:
            (tmp / "empty.toml").write_text("")
        variants = [ROOT / "facts", sparse_copy(ROOT / "facts", 1, tmp / "s1"), sparse_copy(ROOT / "facts", 2, tmp / "s2")]
        tuning = [row for facts in variants for q in TUNING if q.exists() for row in examples(args.bin, config, q, facts)]
        held = {}
        for questions, facts in HELD_OUT:
            for keep in (None, 1):
                f = facts if keep is None else sparse_copy(facts, keep, tmp / f"h{questions.stem}{keep}")
                held[f"{questions.parent.name}/{questions.stem} {'as written' if keep is None else 'first pattern'}"] = examples(args.bin, config, questions, f)
    rows = [r for r in tuning if r[0] is not None]
    x = np.array([r[0] for r in rows])
    y = np.array([1.0 if r[1] else 0.0 for r in rows])
    w = np.where(y > 0, 1.0, 1.0 + WRONG_COST)
    beta = fit_raw(x, y, w)
    # A wrong answer costs half a right one more than "I don't know" does.
    best = max((accuracy(tuning, beta, t / 100, WRONG_COST)[0], t / 100) for t in range(5, 96))
    threshold = best[1]
    print("confidence_weights = [" + ", ".join(f"{b:.3f}" for b in beta) + "]")
    print(f"answer_confidence = {threshold}")
    share, oos = accuracy(tuning, beta, threshold)
    print(f"tuning: {100 * share:.1f}% of {len(tuning)} right, {oos} out-of-scope answered")
    for name, rows in held.items():
        share, oos = accuracy(rows, beta, threshold)
        print(f"held out {name}: {100 * share:.1f}% of {len(rows)} right, {oos} out-of-scope answered")


if __name__ == "__main__":
    main()
