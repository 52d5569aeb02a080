#!/usr/bin/python3
"""Write tests/evaluation/fixtures/classification-report.json: label sets and scikit-learn's exact outputs.

Run with Debian's interpreter, which has scikit-learn (the pyenv python3 on PATH does not):

    /usr/bin/python3 scripts/make-report-fixtures.py

The output is deterministic: every random case comes from a fixed seed.
"""

import json
import os
import random
import warnings
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import classification_report, confusion_matrix, precision_recall_fscore_support

FASHION_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "evaluation", "fixtures",
                   "classification-report.json")


def encode_labels(labels):
    """Single-digit labels as one string keeps the 10,000-sample case small; others stay a list."""
    labels = [int(v) for v in labels]
    if all(0 <= v <= 9 for v in labels):
        return "".join(map(str, labels))
    return labels


def from_confusion(matrix):
    """Label arrays realising a confusion matrix (rows true, columns predicted)."""
    y_true, y_pred = [], []
    for t, row in enumerate(matrix):
        for p, count in enumerate(row):
            y_true += [t] * count
            y_pred += [p] * count
    return y_true, y_pred


def fashion_like(seed, n_per_class=1000):
    """A realistic ~90%-accurate 10-class result: the upper-body garments get confused with each other."""
    rng = np.random.default_rng(seed)
    accuracy = [0.86, 0.98, 0.85, 0.91, 0.86, 0.98, 0.70, 0.96, 0.98, 0.96]
    neighbours = {0: [6, 2, 3], 1: [3], 2: [4, 6, 0], 3: [4, 0, 6], 4: [2, 6, 3],
                  5: [7, 9], 6: [0, 2, 4, 3], 7: [9, 5], 8: [6, 0], 9: [7, 5]}
    y_true = np.repeat(np.arange(10), n_per_class)
    rng.shuffle(y_true)
    y_pred = y_true.copy()
    for i, t in enumerate(y_true):
        if rng.random() > accuracy[t]:
            # Mostly plausible mistakes, occasionally any other class.
            options = neighbours[t] if rng.random() < 0.9 else [c for c in range(10) if c != t]
            y_pred[i] = rng.choice(options)
    return y_true.tolist(), y_pred.tolist()


def noisy(seed, n, num_classes, accuracy, class_weights=None):
    rng = np.random.default_rng(seed)
    y_true = rng.choice(num_classes, size=n, p=class_weights)
    wrong = rng.random(n) > accuracy
    y_pred = np.where(wrong, rng.integers(0, num_classes, size=n), y_true)
    return y_true.tolist(), y_pred.tolist()


def summation_order_case():
    """Per-class precisions whose exact mean is 0.375 or 0.625 but whose float mean depends on the
    order of summation; NumPy sums pairwise, so a left-to-right sum would print the wrong digit."""
    rng = random.Random(7)
    k = 10
    while True:
        fractions = []
        for _ in range(k - 1):
            d = rng.randint(1, 12)
            fractions.append(Fraction(rng.randint(0, d), d))
        for j in (3, 5):
            last = Fraction(j, 8) * k - sum(fractions)
            if not (0 <= last <= 1 and last.denominator <= 40):
                continue
            values = [float(f) for f in fractions + [last]]
            sequential = 0.0
            for v in values:
                sequential += v
            if format(np.mean(values), ".2f") != format(sequential / k, ".2f"):
                # Column i holds precision i: its true positives plus misses charged to the next class.
                matrix = [[0] * k for _ in range(k)]
                for i, f in enumerate(fractions + [last]):
                    matrix[i][i] += f.numerator
                    matrix[(i + 1) % k][i] += f.denominator - f.numerator
                return from_confusion(matrix)


def case(name, y_true, y_pred, target_names, digits=(2,), zero_division="warn"):
    labels = list(range(len(target_names)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        reports = {str(d): classification_report(y_true, y_pred, labels=labels, target_names=target_names,
                                                 digits=d, zero_division=zero_division) for d in digits}
        report_dict = classification_report(y_true, y_pred, labels=labels, target_names=target_names,
                                            output_dict=True, zero_division=zero_division)
        micro = precision_recall_fscore_support(y_true, y_pred, labels=labels, average="micro",
                                                zero_division=zero_division)
    try:
        matrix = confusion_matrix(y_true, y_pred, labels=labels).tolist()
    except ValueError:
        # scikit-learn refuses a confusion matrix when y_true holds none of the labels.
        matrix = None
    per_class = [report_dict[n] for n in target_names]
    result = {
        "name": name,
        "targetNames": target_names,
        "yTrue": encode_labels(y_true),
        "yPred": encode_labels(y_pred),
        "reports": reports,
        "metrics": {
            "classes": [[r["precision"], r["recall"], r["f1-score"], r["support"]] for r in per_class],
            "accuracy": report_dict.get("accuracy"),
            "microAvg": [float(v) for v in micro[:3]],
            "macroAvg": [report_dict["macro avg"][k] for k in ("precision", "recall", "f1-score")],
            "weightedAvg": [report_dict["weighted avg"][k] for k in ("precision", "recall", "f1-score")],
        },
        "confusionMatrix": matrix,
    }
    if zero_division != "warn":
        result["zeroDivision"] = zero_division
    return result


def formatting_cases():
    """Python's '{:.Nf}' on values where it may disagree with toFixed: exact binary ties
    (k / 2^(N+1), k odd), decimal-looking values that are not exactly representable, and random ones."""
    rng = random.Random(11)
    values = []
    for digits in range(0, 6):
        denominator = 2 ** (digits + 1)
        values += [(k / denominator, digits) for k in range(1, denominator, 2)][:40]
        values += [(round(k / 10 ** (digits + 1), digits + 1), digits) for k in range(5, 10 ** (digits + 1), 10)][:40]
        values += [(rng.random(), digits) for _ in range(20)]
    return [[v, d, format(v, ".%df" % d)] for v, d in values]


def main():
    names3 = ["cat", "dog", "bird"]
    cases = [
        case("fashion-mnist 10k, ~90% accurate", *fashion_like(2024), FASHION_NAMES, digits=(2, 3, 4)),
        case("fashion-mnist 10k, weak model", *noisy(5, 10000, 10, 0.55), FASHION_NAMES, digits=(2, 4)),
        case("never predicted: class 3", [0, 1, 2, 3, 3, 4, 0, 1, 2, 3], [0, 1, 2, 0, 1, 4, 0, 2, 2, 4],
             ["a", "b", "c", "d", "e"], digits=(2, 4)),
        case("absent from y_true but predicted", [0, 0, 1, 1, 2, 2], [0, 3, 1, 1, 3, 2],
             ["a", "b", "c", "d"], digits=(2, 4)),
        case("absent from both: micro avg row", [0, 0, 1, 1, 2], [0, 1, 1, 1, 2], ["a", "b", "c", "d"]),
        case("label outside the classes: micro avg row", [0, 0, 1, -1, 2, 2], [0, 5, 1, 1, 2, 7], names3),
        case("no sample in y_true has a class", [5, 6], [0, 6], names3),
        case("empty input", [], [], names3),
        case("imbalanced 900/90/10", *noisy(3, 1000, 3, 0.8, [0.9, 0.09, 0.01]), names3, digits=(2, 4)),
        case("single class present", [0] * 7, [0, 0, 0, 1, 0, 2, 0], names3),
        case("perfect", *[list(range(10)) * 30] * 2, FASHION_NAMES, digits=(2, 4)),
        case("binary", *noisy(8, 57, 2, 0.7), ["negative", "positive"], digits=(2, 4)),
        case("ties at 2 digits (1/8, 3/8, 5/8)", *from_confusion([[1, 3, 4], [2, 5, 1], [5, 0, 3]]), names3,
             digits=(1, 2, 3)),
        case("ties at 3 and 4 digits (5/16, 1/32)", *from_confusion([[5, 11, 0], [11, 5, 16], [0, 0, 1]]), names3,
             digits=(2, 3, 4, 5)),
        case("ties at 0 digits (1/2)", *from_confusion([[1, 1], [1, 1]]), ["x", "y"], digits=(0, 1, 2)),
        case("mean depends on summation order", *summation_order_case(), FASHION_NAMES, digits=(2, 4)),
        case("long and non-ASCII names", [0, 1, 2, 2, 1], [0, 2, 2, 1, 1],
             ["T-shirt 👕", "a rather long class name", "Überzieher"], digits=(2, 14)),
        case("zero_division=1", [0, 1, 1, 2, 3], [0, 1, 2, 2, 2], ["a", "b", "c", "d", "e"], digits=(2,),
             zero_division=1),
        case("zero_division=1, nothing predicted in range", [0, 1], [7, 8], ["a", "b", "c"], zero_division=1),
        case("zero_division=1, no true sample in range", [7, 8], [0, 8], ["a", "b"], zero_division=1),
        case("zero_division=0", *noisy(9, 40, 6, 0.5), list("uvwxyz"), zero_division=0),
    ]
    fixture = {
        "generator": "scripts/make-report-fixtures.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cases": cases,
        "formatting": formatting_cases(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote %d report cases and %d formatting cases to %s" % (len(cases), len(fixture["formatting"]), OUT))


if __name__ == "__main__":
    main()
