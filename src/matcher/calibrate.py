#!/usr/bin/env python3
"""Fits the matcher's confidence model, `confidence_model.txt` beside this script (see
`Matcher::confidence`), and chooses the threshold `answer_confidence`.

usage: python3 src/matcher/calibrate.py [--bin target/release/factbot] [--write]

It asks the release binary every question of the TUNING sets (`ask --explain --json`) against
their facts as written and against sparse copies of them (the bundled story's first one and
first two question patterns, the other stories' first pattern; no synonyms: facts as a
moderator writes them for a new story), and records for each question the best candidate's
signals and whether that candidate is right: it is the case's `expect_fact`, or its answer holds
one of the case's `expect_any` strings; an out-of-scope question is never right. Gradient-boosted
trees (scikit-learn's HistGradientBoostingClassifier: depth 3, 150 trees, wrong answers weighed
twice, since a wrong answer is worse than "I don't know") are fitted on those; the signals mix
in ways one weighted sum cannot say (a wide lead counts for little once it is wide, a missing
word counts only when the rest fits), and measured by leaving each story out in turn they
answer more questions right for as many wrong as the logistic model they replaced. The
threshold that maximises tuning accuracy less two per wrong answer is chosen. Accuracy is
counted as the matcher decides: a best fact within `ambiguity_margin` of the next, or vetoed, is
never answered whatever its confidence. It then reports the HELD-OUT sets, which it never fits
on. With --write it writes the model file; the threshold goes into `settings.rs` by hand.

The features of a chatty message depend on the model in use (its question sentence is asked
alone when the whole message is not answered), so a refit against a binary built with another
model differs slightly. A change to the matcher is followed by a refit only when `factbot eval`
on the tuning sets scores the refitted model better: the shipped model was fitted against a
release binary carrying an earlier fit, and its threshold checked with `factbot eval` on the
tuning sets.

Tuning sets: the public dev sample, tests/eval/heldout.jsonl and heldout2.jsonl (the bundled
story), tests/eval/story3/ to story8/, story10/ to story14/ and story37/ to story40/ (four blind
stories written to give the model more stories to learn from).
Held out: tests/eval/heldout3.jsonl, heldout4.jsonl, story2/, story9/, story15/ to story36/ and
story41/ onwards (story45/ to story48/ were written after the meaning fit and lead joined the
model, and a refit that also learnt from them scored no better on the tuning or held-out sets;
story49/ and story50/ after the score alone stopped answering below 0.6; story51/ and story52/ after
a question after chatter became a clause of its own and a sum of money gave a cost).
Needs numpy and scikit-learn.
"""

import argparse, json, pathlib, subprocess, sys, tempfile, tomllib

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
BUNDLED_TUNING = [SHARED / "eval/dev.jsonl", ROOT / "tests/eval/heldout.jsonl", ROOT / "tests/eval/heldout2.jsonl"]
STORY_TUNING = [3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 37, 38, 39, 40]
HELD_OUT = [(ROOT / "tests/eval/heldout3.jsonl", ROOT / "facts"), (ROOT / "tests/eval/heldout4.jsonl", ROOT / "facts")] + [
    (story / "questions.jsonl", story / "facts")
    for story in sorted((ROOT / "tests/eval").glob("story*"), key=lambda p: int(p.name[5:]))
    if int(story.name[5:]) not in STORY_TUNING]
MODEL = pathlib.Path(__file__).resolve().parent / "confidence_model.txt"
# The defaults of `[matching]` that gate the decision besides the confidence (settings.rs):
# a score from which the fact is answered whatever the confidence, the score from which a fact is
# offered as a close topic, the margin under which the best fact is ambiguous, the missing share that vetoes it and the least evidence it needs.
SCORE_ALONE = 0.6
SUGGEST = 0.25
MARGIN = 0.05
MISSING_VETO = float(__import__("os").environ.get("MISSING_VETO", "1.0"))
MIN_EVIDENCE = 0.55
# `confidence_max_unknown`: above this unknown share only the score answers, as it does for a
# fact whose answer is not of the kind asked for.
CONFIDENCE_MAX_UNKNOWN = 0.5
# Feature order of `Matcher::features`: score, margin, …, evidence, missing share, then the next
# fact's coverage, pattern fit and missing share, how many facts score near the best, the best
# fact's lead over the next ones in letter-trigram likeness (`matcher/surface.rs`), and how well
# its gist fits the question's and its lead in that over the next ones (`matcher/gist.rs`).
MARGIN_AT, UNKNOWN_AT, KIND_AT, EVIDENCE_AT, MISSING_AT = 1, 4, 5, 6, 7
# A wrong answer weighs twice a right one when fitting, and costs two right ones when choosing
# the threshold: a wrong answer, in scope or not, is worse than "I don't know".
WRONG_WEIGHT = 2.0
WRONG_COST = float(__import__("os").environ.get("WRONG_COST", "2.0"))
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
            oos = case.get("kind") == "out_of_scope" or case.get("expect_fact", "") is None
            right = not oos and top is not None and (
                top == case["expect_fact"] if "expect_fact" in case
                else any(e.lower() in answers.get(top, "") for e in case.get("expect_any", [])))
            rows.append((features if top else None, right, oos, out["status"], case))
            features = None
    assert len(rows) == len(cases), (len(rows), len(cases))
    return rows


def fit(x, y, w):
    from sklearn.ensemble import HistGradientBoostingClassifier
    model = HistGradientBoostingClassifier(max_depth=3, max_iter=150, learning_rate=0.05, min_samples_leaf=40,
                                           random_state=0)
    return model.fit(x, y, sample_weight=w)


def trees(model):
    """The model as plain trees: (bias, [[(feature, threshold, left, right) or (value,)]])."""
    return float(model._baseline_prediction.ravel()[0]), [
        [(float(n["value"]),) if n["is_leaf"] else (int(n["feature_idx"]), float(n["num_threshold"]), int(n["left"]), int(n["right"]))
         for n in predictor[0].nodes]
        for predictor in model._predictors]


def write_model(bias, forest, path):
    lines = ["# The confidence model of `matcher::confidence`, written by calibrate.py: do not edit by hand.",
             "# `bias` then one `tree` each: `split FEATURE THRESHOLD LEFT RIGHT` (nodes numbered from 0 within",
             "# the tree; a feature at most THRESHOLD goes LEFT) or `leaf VALUE`. The probability is the logistic",
             "# of the bias plus one leaf of every tree. Features: score, margin, coverage, pattern, unknown,",
             "# kind, evidence, missing, rival coverage, rival pattern, rival missing, close rivals, surface lead,",
             "# meaning fit, meaning lead.",
             f"bias {bias!r}"]
    for tree in forest:
        lines.append("tree")
        lines += [f"leaf {n[0]!r}" if len(n) == 1 else f"split {n[0]} {n[1]!r} {n[2]} {n[3]}" for n in tree]
    path.write_text("\n".join(lines) + "\n")


def probability(model, features):
    bias, forest = model
    z = bias
    for tree in forest:
        node = tree[0]
        while len(node) > 1:
            node = tree[node[2] if features[node[0]] <= node[1] else node[3]]
        z += node[0]
    return 1 / (1 + np.exp(-z))


def accuracy(rows, model, threshold, wrong_cost=0.0):
    """Share right, less `wrong_cost` per wrong answer; and how many out-of-scope answered."""
    right = wrong = oos_answered = 0
    for features, is_right, oos, _, _ in rows:
        answered = features is not None and gates_pass(features) and (
            features[0] >= SCORE_ALONE
            or features[UNKNOWN_AT] <= CONFIDENCE_MAX_UNKNOWN and features[KIND_AT] > 0
            and probability(model, features) >= threshold)
        right += (answered and is_right) or (not answered and oos)
        wrong += answered and not is_right
        oos_answered += answered and oos
    return (right - wrong_cost * wrong) / len(rows), oos_answered


def gates_pass(features):
    """What the matcher asks of a best fact before its confidence counts."""
    return (features[MARGIN_AT] >= MARGIN and features[MISSING_AT] < MISSING_VETO
            and features[EVIDENCE_AT] >= MIN_EVIDENCE)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=str(ROOT / "target/release/factbot"))
    parser.add_argument("--config", default=None, help="a config file whose [matching] to use")
    parser.add_argument("--write", action="store_true", help="write confidence_model.txt")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        config = args.config or str(tmp / "empty.toml")
        if not args.config:
            (tmp / "empty.toml").write_text("")
        variants = [ROOT / "facts", sparse_copy(ROOT / "facts", 1, tmp / "s1"), sparse_copy(ROOT / "facts", 2, tmp / "s2")]
        tuning = [row for facts in variants for q in BUNDLED_TUNING if q.exists() for row in examples(args.bin, config, q, facts)]
        for n in STORY_TUNING:
            story = ROOT / f"tests/eval/story{n}"
            for facts in (story / "facts", sparse_copy(story / "facts", 1, tmp / f"story{n}")):
                tuning += examples(args.bin, config, story / "questions.jsonl", facts)
        held = {}
        for questions, facts in HELD_OUT:
            for keep in (None, 1):
                f = facts if keep is None else sparse_copy(facts, keep, tmp / f"h{questions.parent.name}{questions.stem}{keep}")
                name = questions.stem if questions.parent.name == "eval" else questions.parent.name
                held[f"{name} {'as written' if keep is None else 'first pattern'}"] = examples(args.bin, config, questions, f)
    # A best fact scoring under `suggest_threshold` is listed only when the binary answers it, so
    # fitting on such rows would make the model depend on the binary's own decisions.
    rows = [r for r in tuning if r[0] is not None and r[0][0] >= SUGGEST]
    x = np.array([r[0] for r in rows])
    y = np.array([1.0 if r[1] else 0.0 for r in rows])
    w = np.where(y > 0, 1.0, WRONG_WEIGHT)
    model = trees(fit(x, y, w))
    best = max((accuracy(tuning, model, t / 100, WRONG_COST)[0], t / 100) for t in range(5, 96))
    threshold = best[1]
    if args.write:
        write_model(*model, MODEL)
        print(f"wrote {MODEL}")
    print(f"answer_confidence = {threshold}")
    share, oos = accuracy(tuning, model, threshold)
    print(f"tuning: {100 * share:.1f}% of {len(tuning)} right, {oos} out-of-scope answered")
    for name, rows in held.items():
        share, oos = accuracy(rows, model, threshold)
        print(f"held out {name}: {100 * share:.1f}% of {len(rows)} right, {oos} out-of-scope answered")


if __name__ == "__main__":
    main()
