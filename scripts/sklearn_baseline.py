#!/usr/bin/env python3
"""The scikit-learn baseline for `entopic topics evaluate`: TF-IDF + linear SVM, same folds.

The usual recipe: TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)) + LinearSVC() with
default settings, cross-validated on the folds entopic uses (document i, 0-based in file order, is
tested in fold i mod k). Reports top-1 accuracy (prediction against the first label) overall and
per fold, and the time to fit the pipeline on the first --train-n documents.

Usage (inside the venv that `make topics-bench` creates):
    .venv/bin/python scripts/sklearn_baseline.py target/topic-corpus/news5.jsonl [--folds 5]
"""

import argparse
import json
import time

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--label-field", default="topics")
    ap.add_argument("--train-n", type=int, default=2000)
    args = ap.parse_args()
    texts, labels = [], []
    with open(args.file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                lab = r[args.label_field]
                lab = lab if isinstance(lab, list) else [lab]
                if lab:
                    texts.append(r["text"])
                    labels.append(lab[0])
    k = args.folds
    correct, per_fold = 0, []
    for fold in range(k):
        train = [i for i in range(len(texts)) if i % k != fold]
        test = [i for i in range(len(texts)) if i % k == fold]
        model = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)), LinearSVC())
        model.fit([texts[i] for i in train], [labels[i] for i in train])
        pred = model.predict([texts[i] for i in test])
        ok = sum(p == labels[i] for p, i in zip(pred, test))
        correct += ok
        per_fold.append(ok / len(test))
    print(f"{len(texts)} documents, {k}-fold cross-validation (document i is tested in fold i mod {k})")
    print(f"sklearn TF-IDF + LinearSVC top-1 accuracy: {correct / len(texts):.4f} "
          f"({correct}/{len(texts)}); per fold: {' '.join(f'{a:.3f}' for a in per_fold)}")
    n = min(args.train_n, len(texts))
    model = make_pipeline(TfidfVectorizer(sublinear_tf=True, ngram_range=(1, 2)), LinearSVC())
    started = time.perf_counter()
    model.fit(texts[:n], labels[:n])
    print(f"sklearn fit on {n} documents: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
