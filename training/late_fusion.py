"""Train, evaluate and export the late-fusion model pack (resources/models/late-fusion-v1).

Reads the feature folders `sentiscope features` wrote (training/data/<dataset>/features),
trains per-modality branches and a presence-masked late fusion, evaluates on dev splits
(MOSI dev: MMSA metrics; MVSA dev: acc + weighted F1; SST-2 / MELD dev: acc + weighted F1;
EmoDB: leave-one-speaker-out CV of the audio branch), exports ONNX and writes the pack.

Run from the repository root with Debian's python (torch 1.13 CPU):
  /usr/bin/python3 training/late_fusion.py --data training/data --out resources/models/late-fusion-v1

[Note: late fusion architecture]
- text: embedding bag (masked mean over non-pad token ids, vocabulary = top tokens of the
  training text, id = 2 + line of vocab.txt, pad 0, unknown 1) ++ standardized lexicon
  features -> MLP -> 3 logits + 1 raw score.
- audio: standardized utterance statistics -> MLP -> 3 logits + 1 raw score.
- visual: standardized face statistics -> MLP -> 3 logits + 1 raw score.
- fusion: w_m = presence_m * exp(a_m) / sum_k presence_k * exp(a_k) with learned a; logits
  and raw score are the w-weighted sums of the branches'; with no modality present a
  learned bias replaces them. score = 3 * tanh(raw). The w are exported as a gate output.
- Every standardization (mean/std from the training rows where the modality is present)
  is a constant inside the ONNX graph: the runtime feeds raw extractor output.
Losses: cross-entropy on the 3 classes for every labelled row (SST-2 is binary: its rows
are negative or positive, so the neutral logit is pushed down for them, which is right for
sentences chosen to be non-neutral); L1 on the score where a true score exists (MOSI) and,
with weight PROXY_SCORE_WEIGHT, L1 towards a proxy score (negative -1.5, neutral 0,
positive +1.5) for class-only rows, so the audio and visual branches (which never see a
MOSI score here) give a score on the same scale. Modality dropout on multi-modal rows.
"""
import argparse
import csv
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics import accuracy, mosi_metrics, weighted_f1  # noqa: E402

CLASSES = ['negative', 'neutral', 'positive']
MODALITIES = ['text', 'audio', 'visual']
DATASETS = ['mosi', 'sst2', 'meld', 'mvsa', 'emodb']
PROXY_SCORE = {'negative': -1.5, 'neutral': 0.0, 'positive': 1.5}
PROXY_SCORE_WEIGHT = 0.3


# ---------------------------------------------------------------- data

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


def build_vocabulary(token_lists, size, min_count):
    counts = {}
    for tokens in token_lists:
        for t in tokens:
            counts[t] = counts.get(t, 0) + 1
    ranked = sorted((t for t, c in counts.items() if c >= min_count), key=lambda t: (-counts[t], t))
    return ranked[:size]


class Table:
    """Rows of several feature sets, flattened into arrays the trainer indexes."""

    def __init__(self, parts, vocab_index, max_tokens):
        ids, lex, aud, vis, pres, cls, score, has_score, dataset, group = [], [], [], [], [], [], [], [], [], []
        for name, fs, indices in parts:
            for i in indices:
                row = fs.rows[i]
                ids.append([vocab_index.get(t, 1) for t in fs.tokens[i][:max_tokens]])
                lex.append(fs.lexicon[i])
                aud.append(fs.audio[i])
                vis.append(fs.visual[i])
                pres.append(fs.presence[i])
                label = row.get('label', '')
                cls.append(CLASSES.index(label) if label in CLASSES else -1)
                s = row.get('score', '')
                has_score.append(1.0 if s != '' else 0.0)
                score.append(float(s) if s != '' else PROXY_SCORE.get(label, 0.0))
                dataset.append(name)
                group.append(row.get('group', ''))
        self.ids = ids
        self.lexicon = np.asarray(lex, dtype=np.float32).reshape(-1, 11)
        self.audio = np.asarray(aud, dtype=np.float32)
        self.visual = np.asarray(vis, dtype=np.float32)
        self.presence = np.asarray(pres, dtype=np.float32).reshape(-1, 3)
        self.cls = np.asarray(cls, dtype=np.int64)
        self.score = np.asarray(score, dtype=np.float32)
        self.has_score = np.asarray(has_score, dtype=np.float32)
        self.dataset = dataset
        self.group = group

    def __len__(self):
        return len(self.ids)

    def batch(self, indices):
        width = max(1, max(len(self.ids[i]) for i in indices))
        ids = np.zeros((len(indices), width), dtype=np.int64)
        for k, i in enumerate(indices):
            ids[k, :len(self.ids[i])] = self.ids[i]
        take = lambda a: torch.from_numpy(a[indices])  # noqa: E731
        return {
            'token_ids': torch.from_numpy(ids), 'lexicon': take(self.lexicon), 'audio': take(self.audio),
            'visual': take(self.visual), 'presence': take(self.presence), 'cls': take(self.cls),
            'score': take(self.score), 'has_score': take(self.has_score),
        }


def split_indices(fs, split):
    return [i for i, r in enumerate(fs.rows) if r.get('split') == split]


def standardizer(values, present):
    rows = values[present > 0]
    if len(rows) < 2:
        return np.zeros(values.shape[1], np.float32), np.ones(values.shape[1], np.float32)
    mean = rows.mean(0)
    std = rows.std(0)
    std[std < 1e-6] = 1.0
    return mean.astype(np.float32), std.astype(np.float32)


# ---------------------------------------------------------------- model

class Branch(nn.Module):
    """Standardize (constants) -> MLP -> 3 logits + 1 raw score."""

    def __init__(self, mean, std, hidden, dropout):
        super().__init__()
        self.register_buffer('mean', torch.as_tensor(mean))
        self.register_buffer('std', torch.as_tensor(std))
        self.mlp = nn.Sequential(nn.Dropout(dropout), nn.Linear(len(mean), hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, 4))

    def forward(self, x, extra=None):
        z = (x - self.mean) / self.std
        if extra is not None:
            z = torch.cat([extra, z], dim=1)
        return self.mlp(z)


class TextBranch(nn.Module):
    def __init__(self, vocab_size, dim, lex_mean, lex_std, hidden, dropout):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size + 2, dim, padding_idx=0)
        self.register_buffer('mean', torch.as_tensor(lex_mean))
        self.register_buffer('std', torch.as_tensor(lex_std))
        self.mlp = nn.Sequential(nn.Dropout(dropout), nn.Linear(dim + len(lex_mean), hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, 4))

    def forward(self, token_ids, lexicon):
        mask = (token_ids != 0).to(torch.float32).unsqueeze(-1)
        summed = (self.embedding(token_ids) * mask).sum(dim=1)
        bag = summed / mask.sum(dim=1).clamp(min=1.0)
        z = (lexicon - self.mean) / self.std
        return self.mlp(torch.cat([bag, z], dim=1))


class LateFusion(nn.Module):
    def __init__(self, text, audio, visual):
        super().__init__()
        self.text, self.audio, self.visual = text, audio, visual
        self.modality_logit = nn.Parameter(torch.zeros(3))
        self.absent_bias = nn.Parameter(torch.zeros(4))

    def branches(self, token_ids, lexicon, audio, visual):
        return torch.stack([self.text(token_ids, lexicon), self.audio(audio), self.visual(visual)], dim=1)  # [B, 3, 4]

    def forward(self, token_ids, lexicon, audio, visual, presence):
        outs = self.branches(token_ids, lexicon, audio, visual)
        raw = presence * torch.exp(self.modality_logit)  # [B, 3]
        total = raw.sum(dim=1, keepdim=True)
        weights = raw / total.clamp(min=1e-12)
        fused = (weights.unsqueeze(-1) * outs).sum(dim=1)  # [B, 4]
        any_present = (presence.sum(dim=1, keepdim=True) > 0).to(torch.float32)
        fused = any_present * fused + (1.0 - any_present) * self.absent_bias
        logits = fused[:, :3]
        score = 3.0 * torch.tanh(fused[:, 3:4])
        return score, logits, weights


def build_model(train, vocab_size, args):
    lex_mean, lex_std = standardizer(train.lexicon, train.presence[:, 0])
    aud_mean, aud_std = standardizer(train.audio, train.presence[:, 1])
    vis_mean, vis_std = standardizer(train.visual, train.presence[:, 2])
    text = TextBranch(vocab_size, args.embedding, lex_mean, lex_std, args.hidden, args.dropout)
    audio = Branch(aud_mean, aud_std, args.hidden, args.dropout)
    visual = Branch(vis_mean, vis_std, args.hidden // 2, args.dropout)
    return LateFusion(text, audio, visual)


# ---------------------------------------------------------------- training

def losses(model, b, modality_dropout, word_dropout, training):
    presence = b['presence']
    token_ids = b['token_ids']
    if training and word_dropout > 0:
        drop = (torch.rand(token_ids.shape) < word_dropout) & (token_ids > 1)
        token_ids = torch.where(drop, torch.ones_like(token_ids), token_ids)
    if training and modality_dropout > 0:
        multi = presence.sum(dim=1, keepdim=True) > 1
        keep = (torch.rand(presence.shape) >= modality_dropout).to(torch.float32)
        dropped = presence * keep
        # Never drop every modality of a row.
        dropped = torch.where(dropped.sum(dim=1, keepdim=True) > 0, dropped, presence)
        presence = torch.where(multi, dropped, presence)
    score, logits, _ = model(token_ids, b['lexicon'], b['audio'], b['visual'], presence)
    labelled = b['cls'] >= 0
    ce = F.cross_entropy(logits[labelled], b['cls'][labelled]) if labelled.any() else logits.sum() * 0
    weight = b['has_score'] + (1 - b['has_score']) * PROXY_SCORE_WEIGHT * labelled.to(torch.float32)
    l1 = (weight * (score.squeeze(1) - b['score']).abs()).sum() / weight.sum().clamp(min=1e-6)
    return ce + l1, ce.item(), l1.item()


def train_model(model, table, args, dataset_weights, log=True, epochs=None):
    epochs = epochs or args.epochs
    sizes = {}
    for d in table.dataset:
        sizes[d] = sizes.get(d, 0) + 1
    p = np.array([dataset_weights.get(d, 0.0) / sizes[d] for d in table.dataset], dtype=np.float64)
    p /= p.sum()
    rng = np.random.default_rng(args.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    steps_per_epoch = max(1, args.epoch_size // args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=epochs * steps_per_epoch)
    for epoch in range(epochs):
        model.train()
        started = time.time()
        totals = np.zeros(3)
        for _ in range(steps_per_epoch):
            idx = rng.choice(len(table), size=args.batch, p=p)
            loss, ce, l1 = losses(model, table.batch(idx), args.modality_dropout, args.word_dropout, True)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            totals += (loss.item(), ce, l1)
        if log:
            t = totals / steps_per_epoch
            print(f'epoch {epoch + 1}/{epochs}: loss {t[0]:.3f} (ce {t[1]:.3f}, score l1 {t[2]:.3f}) {time.time() - started:.1f} s', flush=True)
    model.eval()
    return model


@torch.no_grad()
def predict(model, table, presence_override=None):
    model.eval()
    scores, probs = [], []
    for start in range(0, len(table), 256):
        idx = np.arange(start, min(len(table), start + 256))
        b = table.batch(idx)
        presence = b['presence'] if presence_override is None else presence_override(b['presence'])
        score, logits, _ = model(b['token_ids'], b['lexicon'], b['audio'], b['visual'], presence)
        scores.append(score.squeeze(1).numpy())
        probs.append(torch.softmax(logits, dim=1).numpy())
    return np.concatenate(scores), np.concatenate(probs)


def class_metrics(table, probs, binary=False):
    true = [CLASSES[c] for c in table.cls]
    if binary:  # SST-2: no neutral gold label; compare negative vs positive probability
        pred = ['positive' if p[2] >= p[0] else 'negative' for p in probs]
    else:
        pred = [CLASSES[int(np.argmax(p))] for p in probs]
    return {'acc': accuracy(true, pred), 'f1_weighted': weighted_f1(true, pred)}


def evaluate(model, dev):
    metrics = {}
    if 'mosi' in dev:
        scores, _ = predict(model, dev['mosi'])
        metrics['mosi-dev'] = mosi_metrics(dev['mosi'].score.tolist(), scores.tolist())
    if 'mvsa' in dev:
        _, probs = predict(model, dev['mvsa'])
        metrics['mvsa-dev'] = class_metrics(dev['mvsa'], probs)
        _, probs = predict(model, dev['mvsa'], lambda p: p * torch.tensor([1.0, 0.0, 0.0]))
        metrics['mvsa-dev-text-only'] = class_metrics(dev['mvsa'], probs)
        faces = dev['mvsa'].presence[:, 2] > 0
        metrics['mvsa-dev']['rows_with_face'] = int(faces.sum())
    if 'sst2' in dev:
        _, probs = predict(model, dev['sst2'])
        metrics['sst2-dev'] = class_metrics(dev['sst2'], probs, binary=True)
    if 'meld' in dev:
        _, probs = predict(model, dev['meld'])
        metrics['meld-dev'] = class_metrics(dev['meld'], probs)
    return metrics


def emodb_speaker_cv(emodb, args):
    """Leave-one-speaker-out CV of the audio branch alone, same loss and recipe as the pack."""
    speakers = sorted({r['group'] for r in emodb.rows})
    true_all, pred_all, per_fold = [], [], {}
    for held in speakers:
        train_idx = [i for i, r in enumerate(emodb.rows) if r['group'] != held]
        test_idx = [i for i, r in enumerate(emodb.rows) if r['group'] == held]
        train = Table([('emodb', emodb, train_idx)], {}, args.max_tokens)
        test = Table([('emodb', emodb, test_idx)], {}, args.max_tokens)
        torch.manual_seed(args.seed)
        model = build_model(train, 0, args)
        train_model(model, train, args, {'emodb': 1.0}, log=False, epochs=args.cv_epochs)
        _, probs = predict(model, test)
        pred = [CLASSES[int(np.argmax(p))] for p in probs]
        true = [CLASSES[c] for c in test.cls]
        per_fold[held] = accuracy(true, pred)
        true_all += true
        pred_all += pred
    from metrics import macro_f1
    return {'acc': accuracy(true_all, pred_all), 'f1_macro': macro_f1(true_all, pred_all),
            'folds': len(speakers), 'per_speaker_acc': per_fold}


# ---------------------------------------------------------------- export

class ExportWrapper(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, token_ids, lexicon, audio_statistics, visual_statistics, presence):
        return self.model(token_ids, lexicon, audio_statistics, visual_statistics, presence)


def export_onnx(model, path, max_tokens, dims):
    model.eval()
    wrapper = ExportWrapper(model)
    example = (
        torch.ones(1, 8, dtype=torch.int64), torch.zeros(1, 11), torch.zeros(1, dims['audio']),
        torch.zeros(1, dims['visual']), torch.ones(1, 3),
    )
    torch.onnx.export(
        wrapper, example, path, opset_version=13,
        input_names=['token_ids', 'lexicon', 'audio_statistics', 'visual_statistics', 'presence'],
        output_names=['score', 'logits', 'modality_weights'],
        dynamic_axes={'token_ids': {1: 'tokens'}},
        do_constant_folding=True,
    )
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)


# ---------------------------------------------------------------- main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--data', default='training/data')
    parser.add_argument('--out', default='resources/models/late-fusion-v1')
    parser.add_argument('--runs', default='training/runs')
    parser.add_argument('--vocab-size', type=int, default=20000)
    parser.add_argument('--min-count', type=int, default=2)
    parser.add_argument('--max-tokens', type=int, default=128)
    parser.add_argument('--embedding', type=int, default=64)
    parser.add_argument('--hidden', type=int, default=64)
    parser.add_argument('--dropout', type=float, default=0.2)
    parser.add_argument('--modality-dropout', type=float, default=0.2)
    parser.add_argument('--word-dropout', type=float, default=0.05)
    parser.add_argument('--epochs', type=int, default=12)
    parser.add_argument('--cv-epochs', type=int, default=12)
    parser.add_argument('--epoch-size', type=int, default=20000)
    parser.add_argument('--batch', type=int, default=64)
    parser.add_argument('--lr', type=float, default=3e-3)
    parser.add_argument('--weight-decay', type=float, default=1e-4)
    parser.add_argument('--seed', type=int, default=13)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--skip-cv', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)

    sets = load_all(args.data)
    # EmoDB has no dev split (speaker CV instead); every other set trains on train only.
    train_parts = [(n, fs, split_indices(fs, 'train')) for n, fs in sets.items()]
    vocab = build_vocabulary((fs.tokens[i] for _, fs, idx in train_parts for i in idx), args.vocab_size, args.min_count)
    vocab_index = {t: 2 + k for k, t in enumerate(vocab)}
    train = Table(train_parts, vocab_index, args.max_tokens)
    dev = {n: Table([(n, fs, split_indices(fs, 'dev'))], vocab_index, args.max_tokens)
           for n, fs in sets.items() if split_indices(fs, 'dev')}
    rows = {n: {'train': len(split_indices(fs, 'train')), 'dev': len(split_indices(fs, 'dev'))} for n, fs in sets.items()}
    print('rows:', json.dumps(rows), 'vocabulary:', len(vocab), flush=True)
    dims = {'audio': train.audio.shape[1], 'visual': train.visual.shape[1]}

    dataset_weights = {'mosi': 0.3, 'sst2': 0.2, 'meld': 0.2, 'mvsa': 0.2, 'emodb': 0.1}
    model = build_model(train, len(vocab), args)
    train_model(model, train, args, dataset_weights)
    metrics = evaluate(model, dev)
    if 'emodb' in sets and not args.skip_cv:
        print('EmoDB leave-one-speaker-out CV (audio branch)...', flush=True)
        metrics['emodb-speaker-cv'] = emodb_speaker_cv(sets['emodb'], args)
    print(json.dumps(metrics, indent=2), flush=True)

    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.runs, exist_ok=True)
    with open(os.path.join(args.out, 'vocab.txt'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(''.join(t + '\n' for t in vocab))
    export_onnx(model, os.path.join(args.out, 'fusion.onnx'), args.max_tokens, dims)
    torch.save(model.state_dict(), os.path.join(args.runs, 'late-fusion-v1.pt'))
    from pack import write_pack, write_parity_fixture
    write_parity_fixture(model, sets, vocab_index, args, os.path.join(args.out, 'parity', 'fixture.json'))
    write_pack(args, sets, rows, metrics, vocab, dims)
    with open(os.path.join(args.runs, 'metrics.json'), 'w') as f:
        json.dump({'rows': rows, 'metrics': metrics, 'args': vars(args)}, f, indent=2)


if __name__ == '__main__':
    main()
