"""GloVe word vectors and the token facts every text vocabulary is built from (the default
pack's and the seed packs'): one loader, one token count, one test for a CJK character."""
import os

import numpy as np

GLOVE_DIM = 100


def load_glove(folder):
    """(word -> row, fp16 vectors [100000, 100]) of ../shared/data/text/glove, rows in frequency order."""
    with open(os.path.join(folder, 'words-100k.txt'), encoding='utf-8') as f:
        words = [line.rstrip('\n') for line in f]
    vectors = np.load(os.path.join(folder, 'vectors-100k-f16.npy'))
    index = {}
    for k, w in enumerate(words):
        index.setdefault(w, k)
    return index, vectors


def token_counts(token_lists):
    counts = {}
    for tokens in token_lists:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    return counts


def is_cjk(token):
    return len(token) == 1 and ('\u3040' <= token <= '\u30ff' or '\u3400' <= token <= '\u9fff' or '\uf900' <= token <= '\ufaff')
