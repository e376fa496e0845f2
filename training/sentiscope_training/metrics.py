"""Metrics with the conventions of src/shared/metrics (MMSA metricsTop.py, scikit-learn).

mosi_metrics mirrors src/shared/metrics/mosi.ts: Acc-2 Has0 (>= 0 vs < 0) and Non0
(true zeros dropped; > 0 vs <= 0), weighted F1 of each, Acc-7 on round-half-even of the
clipped scores, MAE unclipped, Pearson r (0 when either side is constant).
"""
import math


def accuracy(y_true, y_pred):
    if not y_true:
        return math.nan
    return sum(1 for t, p in zip(y_true, y_pred) if t == p) / len(y_true)


def _per_class(y_true, y_pred):
    labels = list(dict.fromkeys(list(y_true) + list(y_pred)))
    stats = []
    for label in labels:
        tp = sum(1 for t, p in zip(y_true, y_pred) if t == label and p == label)
        fp = sum(1 for t, p in zip(y_true, y_pred) if t != label and p == label)
        fn = sum(1 for t, p in zip(y_true, y_pred) if t == label and p != label)
        f1 = 0.0 if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)
        stats.append((label, tp + fn, f1))
    return stats


def weighted_f1(y_true, y_pred):
    if not y_true:
        return math.nan
    return sum(support * f1 for _, support, f1 in _per_class(y_true, y_pred)) / len(y_true)


def macro_f1(y_true, y_pred):
    """sklearn average='macro' over the labels seen in y_true or y_pred."""
    stats = _per_class(y_true, y_pred)
    return sum(f1 for _, _, f1 in stats) / len(stats) if stats else math.nan


def round_half_even(x):
    return float(round(x))  # Python's round() is half-to-even, like np.round


def pearson(a, b):
    n = len(a)
    if n < 2:
        return 0.0
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    return 0.0 if va == 0 or vb == 0 else cov / math.sqrt(va * vb)


def mosi_metrics(y_true, y_pred):
    clip = lambda y: min(3.0, max(-3.0, y))  # noqa: E731
    non0 = [i for i, y in enumerate(y_true) if y != 0]
    has0_t = [y >= 0 for y in y_true]
    has0_p = [y >= 0 for y in y_pred]
    non0_t = [y_true[i] > 0 for i in non0]
    non0_p = [y_pred[i] > 0 for i in non0]
    return {
        'acc2_has0': accuracy(has0_t, has0_p),
        'acc2_non0': accuracy(non0_t, non0_p),
        'f1_has0': weighted_f1(has0_t, has0_p),
        'f1_non0': weighted_f1(non0_t, non0_p),
        'acc7': accuracy([round_half_even(clip(y)) for y in y_true], [round_half_even(clip(y)) for y in y_pred]),
        'mae': sum(abs(p - t) for t, p in zip(y_true, y_pred)) / len(y_true) if y_true else math.nan,
        'corr': pearson(list(y_pred), list(y_true)),
    }


def balanced_accuracy(y_true, y_pred):
    """Mean recall over the classes present in y_true (sklearn balanced_accuracy_score)."""
    classes = sorted(set(y_true))
    if not classes:
        return math.nan
    recalls = []
    for c in classes:
        idx = [i for i, t in enumerate(y_true) if t == c]
        recalls.append(sum(1 for i in idx if y_pred[i] == c) / len(idx))
    return sum(recalls) / len(recalls)


def largest_class_share(y_pred):
    """Share of the predictions taken by the most predicted class."""
    if not y_pred:
        return math.nan
    counts = {}
    for p in y_pred:
        counts[p] = counts.get(p, 0) + 1
    return max(counts.values()) / len(y_pred)


def expected_calibration_error(confidences, correct, bins=10):
    """ECE of the predicted class's probability: equal-width bins over [0, 1], the
    row-weighted mean |accuracy - mean confidence| per bin."""
    n = len(confidences)
    if n == 0:
        return math.nan
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0)]
        if not idx:
            continue
        acc = sum(1 for i in idx if correct[i]) / len(idx)
        conf = sum(confidences[i] for i in idx) / len(idx)
        total += len(idx) / n * abs(acc - conf)
    return total
