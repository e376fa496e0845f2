"""Reading the feature folders `sentiscope features` writes, and the dataset conventions every
training script uses (class order, the datasets, proxy scores for class-only rows)."""
import csv
import json
import os
import sys

import numpy as np

CLASSES = ['negative', 'neutral', 'positive']
MODALITIES = ['text', 'audio', 'visual']
DATASETS = ['mosi', 'sst2', 'meld', 'zh', 'mvsa', 'emodb', 'ravdess']
# Share of each batch drawn from each dataset (rows sampled uniformly within a dataset).
DATASET_WEIGHTS = {'mosi': 0.22, 'sst2': 0.16, 'meld': 0.16, 'mvsa': 0.14, 'zh': 0.12, 'emodb': 0.1, 'ravdess': 0.1}
PROXY_SCORE = {'negative': -1.5, 'neutral': 0.0, 'positive': 1.5}
# Where each frame modality sits in presence.npy, and its frame width (`--sequences` folders).
MODALITY_INDEX = {'audio': 1, 'visual': 2}
FRAME_DIMS = {'audio': 57, 'visual': 9}


class FeatureSet:
    """One `sentiscope features` folder, as numpy arrays plus row metadata."""

    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, 'features.json'), encoding='utf-8') as f:
            self.description = json.load(f)
        with open(os.path.join(folder, 'rows.csv'), encoding='utf-8', newline='') as f:
            self.rows = list(csv.DictReader(f))
        with open(os.path.join(folder, 'tokens.jsonl'), encoding='utf-8') as f:
            self.tokens = [json.loads(line) for line in f if line.strip()]
        self.lexicon = np.load(os.path.join(folder, 'lexicon.npy'))
        self.audio = np.load(os.path.join(folder, 'audio_statistics.npy'))
        self.visual = np.load(os.path.join(folder, 'visual_statistics.npy'))
        self.presence = np.load(os.path.join(folder, 'presence.npy'))
        n = len(self.rows)
        assert len(self.tokens) == n and self.lexicon.shape[0] == n and self.presence.shape[0] == n, folder

    def __len__(self):
        return len(self.rows)


def load_all(data_dir):
    sets = {}
    for name in DATASETS:
        folder = os.path.join(data_dir, name, 'features')
        if os.path.exists(os.path.join(folder, 'features.json')):
            sets[name] = FeatureSet(folder)
        else:
            print(f'warning: {folder} missing, {name} skipped', file=sys.stderr)
    return sets


def split_indices(fs, split):
    return [i for i, r in enumerate(fs.rows) if r.get('split') == split]


class SeqSet:
    """A `sentiscope features --sequences` folder: FeatureSet + ragged audio/visual frames."""

    def __init__(self, folder):
        self.fs = FeatureSet(folder)
        self.frames, self.offsets = {}, {}
        n = len(self.fs)
        for m, k in MODALITY_INDEX.items():
            path = os.path.join(folder, f'{m}_frames.npy')
            if os.path.exists(path):
                self.frames[m] = np.load(path)
                self.offsets[m] = np.load(os.path.join(folder, f'{m}_frame_offsets.npy'))
                assert len(self.offsets[m]) == n + 1, f'{folder}: {m}_frame_offsets has {len(self.offsets[m])} entries for {n} rows'
            else:
                # Text-only folders (MOSI, SST-2, MELD) need no --sequences run: nothing to read.
                if self.fs.presence[:, k].sum() > 0:
                    raise SystemExit(f'{folder}: {m} is present but {m}_frames.npy is missing; re-run '
                                     f'`npx sentiscope features ... --sequences` for it')
                self.frames[m] = np.zeros((0, FRAME_DIMS[m]), np.float32)
                self.offsets[m] = np.zeros(n + 1, np.int64)

    def seq(self, m, i):
        return self.frames[m][self.offsets[m][i]:self.offsets[m][i + 1]]
