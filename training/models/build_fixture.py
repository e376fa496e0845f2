"""Builds tests/fixtures/training/tiny.npz: a small slice of REAL features, as frame sequences,
for the seed architectures' smoke run (training/smoke.py) and CI (training/data/ is git-ignored).

Rows (train splits only):
- MOSI text (score labels): text frames only.
- EmoDB (valence class): acoustic frames of the wav (Sentiscope's acoustic extractor).
- MVSA (post class): text frames + the image as ONE visual frame (a still image's per-frame
  vector equals its visual statistics row: face 0/1, 7 expression probabilities, face score).
- MOSI clip Oz06ZWiO20M_6 (the one MOSI video here): text + acoustic frames + visual frames.
Text frames: the token embeddings of the shipped late-fusion-v1 pack (fusion.onnx initializer
model.text.embedding.weight, ids from its vocab.txt) — a stand-in text encoder for the smoke run.
Acoustic frames are kept every AUDIO_STEP-th 10 ms frame (40 ms) to keep the fixture small.

  /usr/bin/python3 training/models/build_fixture.py      # needs training/data (see training/README.md)
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, '..', '..'))
DATA = os.path.join(REPO, 'training', 'data')
SHARED = os.path.normpath(os.path.join(REPO, '..', 'shared', 'data'))
OUT = os.path.join(REPO, 'tests', 'fixtures', 'training', 'tiny.npz')
PACK = os.path.join(REPO, 'resources', 'models', 'late-fusion-v1')
CLASSES = ['negative', 'neutral', 'positive']
PROXY = {'negative': -1.5, 'neutral': 0.0, 'positive': 1.5}
PER_CLASS = 4
MAX_TOKENS = 24
AUDIO_STEP = 4
MAX_AUDIO = 64
MAX_VISUAL = 40
VIDEO_ID = 'mosi:Oz06ZWiO20M_6'
VIDEO = os.path.join(SHARED, 'mosi', 'media', 'Oz06ZWiO20M_6.mp4')


def features(name):
    folder = os.path.join(DATA, name, 'features')
    with open(os.path.join(folder, 'rows.csv'), encoding='utf-8', newline='') as f:
        rows = list(csv.DictReader(f))
    with open(os.path.join(folder, 'tokens.jsonl'), encoding='utf-8') as f:
        tokens = [json.loads(line) for line in f if line.strip()]
    return rows, tokens, np.load(os.path.join(folder, 'visual_statistics.npy')), np.load(os.path.join(folder, 'presence.npy'))


def pick(rows, want, extra=lambda i: True):
    """PER_CLASS train rows of each class, in file order."""
    chosen = []
    for label in CLASSES:
        chosen += [i for i, r in enumerate(rows) if r['split'] == 'train' and r['label'] == label and extra(i)][:want]
    return chosen


def frames(specs):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, 'frames.json')
        subprocess.run(['npx', 'tsx', os.path.join('training', 'models', 'export_frames.ts'), out, *specs], cwd=REPO, check=True)
        with open(out, encoding='utf-8') as f:
            return {(s['kind'], s['id']): s for s in json.load(f)}


def main():
    if not os.path.isdir(DATA):
        raise SystemExit(f'{DATA} is missing: run training/prepare_data.py and `sentiscope features` first (training/README.md)')
    weights = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(PACK, 'fusion.onnx')).graph.initializer}
    embedding = weights['model.text.embedding.weight'].astype(np.float32)
    with open(os.path.join(PACK, 'vocab.txt'), encoding='utf-8') as f:
        vocab = {t: 2 + i for i, t in enumerate(line.rstrip('\n') for line in f)}

    def text_frames(tokens):
        ids = [vocab.get(t, 1) for t in tokens[:MAX_TOKENS]]
        return embedding[ids] if ids else None

    samples = []  # (id, text, audio, visual, label, score)
    mosi_rows, mosi_tokens, _, _ = features('mosi')
    for i in pick(mosi_rows, PER_CLASS, lambda i: mosi_rows[i]['id'] != VIDEO_ID):
        r = mosi_rows[i]
        samples.append((r['id'], text_frames(mosi_tokens[i]), None, None, r['label'], float(r['score'])))
    emo_rows, _, _, _ = features('emodb')
    emo = pick(emo_rows, PER_CLASS)
    mvsa_rows, mvsa_tokens, mvsa_visual, mvsa_presence = features('mvsa')
    mvsa = pick(mvsa_rows, PER_CLASS // 2, lambda i: mvsa_presence[i][2] > 0) + pick(mvsa_rows, PER_CLASS // 2, lambda i: mvsa_presence[i][2] == 0)
    specs = [f'audio:{emo_rows[i]["id"]}={os.path.join(SHARED, "emodb", "wav", emo_rows[i]["id"].split(":", 1)[1])}' for i in emo]
    specs += [f'audio:{VIDEO_ID}={VIDEO}', f'visual:{VIDEO_ID}={VIDEO}']
    seq = frames(specs)

    def audio(key):
        s = seq[('audio', key)]
        return np.asarray(s['data'], np.float32).reshape(s['frames'], s['dims'])[::AUDIO_STEP][:MAX_AUDIO]

    for i in emo:
        r = emo_rows[i]
        samples.append((r['id'], None, audio(r['id']), None, r['label'], None))
    for i in mvsa:
        r = mvsa_rows[i]
        visual = mvsa_visual[i:i + 1].astype(np.float32) if mvsa_presence[i][2] > 0 else None
        samples.append((r['id'], text_frames(mvsa_tokens[i]), None, visual, r['label'], None))
    v = seq[('visual', VIDEO_ID)]
    video_visual = np.asarray(v['data'], np.float32).reshape(v['frames'], v['dims'])[:MAX_VISUAL]
    k = next(i for i, r in enumerate(mosi_rows) if r['id'] == VIDEO_ID)
    samples.append((VIDEO_ID, text_frames(mosi_tokens[k]), audio(VIDEO_ID), video_visual, mosi_rows[k]['label'],
                    float(mosi_rows[k]['score'])))

    dims = {'text': embedding.shape[1], 'audio': seq[('audio', VIDEO_ID)]['dims'], 'visual': v['dims']}
    arrays = {}
    for k, m in enumerate(['text', 'audio', 'visual']):
        parts = [s[1 + k] for s in samples]
        arrays[f'{m}_lengths'] = np.asarray([0 if p is None else len(p) for p in parts], np.int64)
        arrays[f'{m}_data'] = np.concatenate([p for p in parts if p is not None]).astype(np.float32).reshape(-1, dims[m])
    arrays['presence'] = np.stack([arrays[f'{m}_lengths'] > 0 for m in ['text', 'audio', 'visual']], 1).astype(np.float32)
    arrays['cls'] = np.asarray([CLASSES.index(s[4]) for s in samples], np.int64)
    arrays['score'] = np.asarray([PROXY[s[4]] if s[5] is None else s[5] for s in samples], np.float32)
    arrays['has_score'] = np.asarray([0.0 if s[5] is None else 1.0 for s in samples], np.float32)
    arrays['ids'] = np.asarray([s[0] for s in samples])
    arrays['audio_columns'] = np.asarray(seq[('audio', VIDEO_ID)]['names'])
    arrays['visual_columns'] = np.asarray(v['names'])
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    np.savez_compressed(OUT, **arrays)
    print(f'{OUT}: {len(samples)} rows, {os.path.getsize(OUT)} bytes, dims {dims}')


if __name__ == '__main__':
    sys.exit(main())
