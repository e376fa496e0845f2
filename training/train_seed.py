"""Train and evaluate one seed architecture (training/models) on the features in training/data.

  /usr/bin/python3 training/train_seed.py --arch cmsta [--flag use_cg=0] [--steps 1500] [--out training/runs/cmsta-seed]

Until Sentiscope exports frame sequences (audio.frames / visual.frames, see training/README.md
"Seed architectures"), this trains on what `sentiscope features` writes today:
- text frames: the tokens' embeddings from the shipped late-fusion-v1 pack (frozen; its vocab.txt,
  unknown tokens -> its id 1), at most --max-tokens frames;
- audio: the 231 utterance statistics as ONE frame; visual: the 9 face statistics as ONE frame.
So the temporal parts of the architectures see length-1 audio/visual sequences here: the numbers
this gives are a check that training works, not an evaluation of the architectures.
Data: MOSI (text, score), MVSA-Single (text + image, class), EmoDB (audio, valence class), train
splits; dev metrics on MOSI dev (MMSA) and MVSA dev (acc, weighted F1). No test data is read.
Writes OUT/metrics.json, OUT/model.pt and OUT/<arch>.onnx.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import onnx
import torch
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the working tree
sys.path.insert(0, HERE)
from late_fusion import CLASSES, PROXY_SCORE, FeatureSet, split_indices  # noqa: E402
from metrics import accuracy, mosi_metrics, weighted_f1  # noqa: E402
from models import build  # noqa: E402
from models.export import export_onnx  # noqa: E402

PACK = os.path.join(HERE, '..', 'resources', 'models', 'late-fusion-v1')
WEIGHTS = {'mosi': 0.5, 'mvsa': 0.35, 'emodb': 0.15}


class Rows:
    """Rows of several feature sets as frame sequences (text: token embeddings; audio/visual: 1 frame)."""

    def __init__(self, parts, embed, max_tokens):
        self.text, self.audio, self.visual, self.presence, self.cls, self.score, self.has_score, self.dataset = ([] for _ in range(8))
        for name, fs, indices in parts:
            for i in indices:
                r = fs.rows[i]
                self.text.append(embed(fs.tokens[i][:max_tokens]))
                self.audio.append(fs.audio[i])
                self.visual.append(fs.visual[i])
                self.presence.append(fs.presence[i])
                label = r.get('label', '')
                self.cls.append(CLASSES.index(label) if label in CLASSES else -1)
                s = r.get('score', '')
                self.has_score.append(1.0 if s != '' else 0.0)
                self.score.append(float(s) if s != '' else PROXY_SCORE.get(label, 0.0))
                self.dataset.append(name)
        self.audio, self.visual = np.asarray(self.audio, np.float32), np.asarray(self.visual, np.float32)
        self.presence = np.asarray(self.presence, np.float32)
        self.cls, self.score = np.asarray(self.cls, np.int64), np.asarray(self.score, np.float32)
        self.has_score = np.asarray(self.has_score, np.float32)

    def __len__(self):
        return len(self.cls)

    def batch(self, idx, presence=None):
        width = max(1, max(len(self.text[i]) for i in idx))
        dt = self.text[0].shape[1]
        text = np.zeros((len(idx), width, dt), np.float32)
        mask = np.zeros((len(idx), width), np.float32)
        for k, i in enumerate(idx):
            text[k, :len(self.text[i])], mask[k, :len(self.text[i])] = self.text[i], 1.0
        one = torch.ones(len(idx), 1)
        pres = torch.from_numpy(self.presence[idx] if presence is None else presence[idx])
        return {'text': torch.from_numpy(text), 'text_mask': torch.from_numpy(mask),
                'audio': torch.from_numpy(self.audio[idx])[:, None], 'audio_mask': one,
                'visual': torch.from_numpy(self.visual[idx])[:, None], 'visual_mask': one, 'presence': pres,
                'cls': torch.from_numpy(self.cls[idx]), 'score': torch.from_numpy(self.score[idx]),
                'has_score': torch.from_numpy(self.has_score[idx])}


def run(model, b):
    return model(b['text'], b['audio'], b['visual'], b['text_mask'], b['audio_mask'], b['visual_mask'], b['presence'])


def normalization(rows):
    stats = {'text': np.concatenate([t for t in rows.text if len(t)])}
    stats['audio'] = rows.audio[rows.presence[:, 1] > 0]
    stats['visual'] = rows.visual[rows.presence[:, 2] > 0]
    return {m: (v.mean(0), v.std(0)) for m, v in stats.items()}


@torch.no_grad()
def predict(model, rows, presence=None):
    model.eval()
    scores, logits = [], []
    for start in range(0, len(rows), 128):
        out = run(model, rows.batch(np.arange(start, min(len(rows), start + 128)), presence))
        scores.append(out['score'][:, 0].numpy())
        logits.append(out['logits'].numpy())
    return np.concatenate(scores), np.concatenate(logits)


def class_metrics(rows, logits):
    true = [CLASSES[c] for c in rows.cls]
    pred = [CLASSES[int(k)] for k in logits.argmax(1)]
    return {'acc': accuracy(true, pred), 'f1_weighted': weighted_f1(true, pred)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--arch', required=True)
    p.add_argument('--flag', action='append', default=[], help='constructor option NAME=VALUE (ablations: use_cg=0)')
    p.add_argument('--data', default=os.path.join(HERE, 'data'))
    p.add_argument('--out', default=None)
    p.add_argument('--steps', type=int, default=1500)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=1e-3)
    p.add_argument('--max-tokens', type=int, default=48)
    p.add_argument('--seed', type=int, default=13)
    args = p.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    out_dir = args.out or os.path.join(HERE, 'runs', f'{args.arch}-seed')
    os.makedirs(out_dir, exist_ok=True)
    flags = {}
    for f in args.flag:
        k, v = f.split('=', 1)
        flags[k] = bool(int(v)) if v in ('0', '1') else float(v) if '.' in v else int(v)

    weights = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(PACK, 'fusion.onnx')).graph.initializer}
    table = weights['model.text.embedding.weight'].astype(np.float32)
    with open(os.path.join(PACK, 'vocab.txt'), encoding='utf-8') as f:
        vocab = {t: 2 + i for i, t in enumerate(line.rstrip('\n') for line in f)}
    embed = lambda tokens: table[[vocab.get(t, 1) for t in tokens]].reshape(-1, table.shape[1])  # noqa: E731

    sets = {n: FeatureSet(os.path.join(args.data, n, 'features')) for n in WEIGHTS}
    train = Rows([(n, fs, split_indices(fs, 'train')) for n, fs in sets.items()], embed, args.max_tokens)
    dev = {n: Rows([(n, sets[n], split_indices(sets[n], 'dev'))], embed, args.max_tokens) for n in ('mosi', 'mvsa')}
    dims = {'text': table.shape[1], 'audio': train.audio.shape[1], 'visual': train.visual.shape[1]}
    model = build(args.arch, dims, **flags)
    model.set_normalization(normalization(train))

    sizes = {n: train.dataset.count(n) for n in WEIGHTS}
    prob = np.array([WEIGHTS[d] / sizes[d] for d in train.dataset])
    prob /= prob.sum()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=args.steps)
    started, running = time.time(), []
    for step in range(args.steps):
        model.train()
        b = train.batch(rng.choice(len(train), size=args.batch, p=prob))
        loss = model.loss(run(model, b), b)['loss']
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()
        schedule.step()
        running.append(float(loss))
        if (step + 1) % 100 == 0:
            print(f'step {step + 1}/{args.steps}: loss {np.mean(running[-100:]):.3f} ({time.time() - started:.0f} s)', flush=True)

    scores, _ = predict(model, dev['mosi'])
    metrics = {'mosi-dev': mosi_metrics(dev['mosi'].score.tolist(), scores.tolist())}
    _, logits = predict(model, dev['mvsa'])
    metrics['mvsa-dev'] = class_metrics(dev['mvsa'], logits)
    _, logits = predict(model, dev['mvsa'], dev['mvsa'].presence * np.array([1, 0, 0], np.float32))
    metrics['mvsa-dev-text-only'] = class_metrics(dev['mvsa'], logits)
    result = {'architecture': args.arch, 'flags': flags, 'steps': args.steps, 'seconds': round(time.time() - started),
              'inputs': 'text: late-fusion-v1 token embeddings; audio/visual: utterance statistics as one frame',
              'train_rows': sizes, 'metrics': metrics}
    print(json.dumps(result, indent=1))
    with open(os.path.join(out_dir, 'metrics.json'), 'w', encoding='utf-8') as f:
        json.dump(result, f, indent=1)
    torch.save(model.state_dict(), os.path.join(out_dir, 'model.pt'))
    export_onnx(model, os.path.join(out_dir, f'{args.arch}.onnx'))


if __name__ == '__main__':
    import warnings
    warnings.filterwarnings('ignore')
    main()
