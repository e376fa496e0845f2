"""Train, evaluate and export one seed architecture on frame sequences.

  /usr/bin/python3 training/train_seed.py --arch cmsta [--flag use_cg=0] [--steps 300] [--out training/runs/seed/cmsta]

Inputs are what the runtime computes (`sentiscope features --sequences`, training/README.md):
- text: token ids (tokenizer v2) -> frozen GloVe 6B 100-d vectors for the words GloVe has, trained
  vectors for the training tokens it lacks, a trained projection to d_model, all inside the model
  ([Note: seed pack model], models/pack_model.py; [Note: seed text embedding], models/glove_text.py);
  the vocabulary is the training tokens plus the --extra-glove most frequent other GloVe words;
  the run writes it as vocab.txt;
- audio: the raw acoustic frames (57 per frame, 100/s), average-pooled by --audio-pool inside the model;
- visual: the raw visual frames (9 per frame; MVSA: one frame per image, zeros without a face).
Data (train splits only): MOSI text (score), MVSA-Single text + image (class), EmoDB audio (valence
class, all 8 speakers), optionally SST-2 and MELD text (--text-extra). ../shared/heldout is never read.
Evaluation: MOSI dev (MMSA metrics, text only), MVSA dev (acc, weighted F1; with and without the
image), EmoDB speaker-independent CV (--cv-folds folds grouped by speaker; the same architecture
trained on the other folds' speakers alone for --cv-steps steps; 3-class valence acc + macro F1).
Writes OUT/metrics.json, OUT/model.pt, OUT/model.onnx, OUT/vocab.txt, OUT/fixture.json (parity).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the working tree
from models.glove_text import GloveEmbedding, SeedVocabulary  # noqa: E402
from models.pack_text import TOKEN_FEATURES, PackTextEncoder, check_same_vocabulary, load_text_state, read_vocabulary  # noqa: E402
from sentiscope_training.glove import load_glove, token_counts  # noqa: E402
from models.pack_model import OOD_QUANTILE, ActiveFrames, ExpressionFrames, SeedPackModel, unknown_share  # noqa: E402
from sentiscope_training.data import CLASSES, FRAME_DIMS, MODALITY_INDEX, PROXY_SCORE, SeqSet, split_indices  # noqa: E402
from sentiscope_training.export import PACK_INPUTS, PackExport, export_pack_onnx  # noqa: E402
from sentiscope_training.metrics import (accuracy, balanced_accuracy, expected_calibration_error, largest_class_share,  # noqa: E402
                                         macro_f1, mosi_metrics, weighted_f1)

HERE = os.path.dirname(os.path.abspath(__file__))
SPEECH = ('emodb', 'ravdess')


class Rows:
    """Rows of several sets: token ids, frame sequences, presence, labels."""

    def __init__(self, parts, vocab, max_tokens, max_audio):
        self.ids, self.audio, self.visual = [], [], []
        pres, cls, score, has_score, self.dataset, self.group, self.names = [], [], [], [], [], [], []
        for name, ss, indices in parts:
            fs = ss.fs
            for i in indices:
                r = fs.rows[i]
                self.ids.append(np.asarray([vocab.get(t, 1) for t in fs.tokens[i][:max_tokens]], np.int64))
                self.audio.append(ss.seq('audio', i)[:max_audio])
                self.visual.append(ss.seq('visual', i))
                pres.append(fs.presence[i])
                label = r.get('label', '')
                cls.append(CLASSES.index(label) if label in CLASSES else -1)
                s = r.get('score', '')
                has_score.append(1.0 if s != '' else 0.0)
                score.append(float(s) if s != '' else PROXY_SCORE.get(label, 0.0))
                self.dataset.append(name)
                self.group.append(r.get('group', ''))
                self.names.append(r.get('id', ''))
        self.presence = np.asarray(pres, np.float32).reshape(-1, 3)
        self.cls, self.score = np.asarray(cls, np.int64), np.asarray(score, np.float32)
        self.has_score = np.asarray(has_score, np.float32)
        # Acted speech at equal class mass per corpus (as late-fusion-v1, [Note: review domains]):
        # RAVDESS is 62 % negative, so unweighted the voice would learn "acted = negative".
        self.weight = np.ones(len(self.cls), np.float32)
        names = np.asarray(self.dataset)
        for name in SPEECH:
            for c in range(len(CLASSES)):
                rows = (names == name) & (self.cls == c)
                if rows.any():
                    self.weight[rows] = ((names == name) & (self.cls >= 0)).sum() / (len(CLASSES) * rows.sum())

    def __len__(self):
        return len(self.cls)

    def batch(self, idx, presence=None):
        idx = np.asarray(idx)
        b = {}
        width = max(1, max(len(self.ids[i]) for i in idx))
        ids = np.zeros((len(idx), width), np.int64)
        for k, i in enumerate(idx):
            ids[k, :len(self.ids[i])] = self.ids[i]
        b['text_ids'] = torch.from_numpy(ids)
        for m, seqs in (('audio', self.audio), ('visual', self.visual)):
            width = max(1, max(len(seqs[i]) for i in idx))
            x = np.zeros((len(idx), width, FRAME_DIMS[m]), np.float32)
            mask = np.zeros((len(idx), width), np.float32)
            for k, i in enumerate(idx):
                s = seqs[i]
                x[k, :len(s)], mask[k, :len(s)] = s, 1.0
            b[m], b[f'{m}_mask'] = torch.from_numpy(x), torch.from_numpy(mask)
        b['presence'] = torch.from_numpy(self.presence[idx] if presence is None else presence[idx])
        b['cls'], b['score'] = torch.from_numpy(self.cls[idx]), torch.from_numpy(self.score[idx])
        b['has_score'] = torch.from_numpy(self.has_score[idx])
        b['weight'] = torch.from_numpy(self.weight[idx])
        return b


def run(model, b):
    return model(b['text_ids'], b['audio'], b['visual'], b['audio_mask'], b['visual_mask'], b['presence'])


@torch.no_grad()
def normalization(rows):
    """Standardization constants over the present training frames as the architecture reads
    them: audio after [Note: seed active frames] (active frames only), visual after [Note: seed
    expression frames] with mean 0, so a neutral face (and a frame without one) stays 0."""
    stats = {}
    active, expression = ActiveFrames(), ExpressionFrames()
    for m, seqs in (('audio', rows.audio), ('visual', rows.visual)):
        k = MODALITY_INDEX[m]
        frames = []
        for s, p in zip(seqs, rows.presence[:, k]):
            if p <= 0 or not len(s):
                continue
            x = torch.from_numpy(np.asarray(s, np.float32))[None]
            if m == 'audio':
                x, keep = active(x, torch.ones(1, x.shape[1]))
                frames.append(x[0][keep[0] > 0].numpy())
            else:
                frames.append(expression(x)[0].numpy())
        if frames:
            x = np.concatenate(frames)
            stats[m] = (x.mean(0) if m == 'audio' else np.zeros(x.shape[1], np.float32), x.std(0) if m == 'audio' else
                        np.sqrt((x * x).mean(0)))
    return stats


def augment(b, rng, modality_dropout, word_dropout):
    """Word dropout (ids -> unknown) and modality dropout on rows with several modalities."""
    if word_dropout > 0:
        ids = b['text_ids']
        drop = torch.from_numpy(rng.random(tuple(ids.shape)) < word_dropout) & (ids > 1)
        b['text_ids'] = torch.where(drop, torch.ones_like(ids), ids)
    if modality_dropout > 0:
        p = b['presence']
        keep = torch.from_numpy((rng.random(tuple(p.shape)) >= modality_dropout).astype(np.float32))
        dropped = p * keep
        dropped = torch.where(dropped.sum(dim=1, keepdim=True) > 0, dropped, p)
        b['presence'] = torch.where(p.sum(dim=1, keepdim=True) > 1, dropped, p)
    return b


def train(model, rows, weights, args, steps, rng, log_every=50, label=''):
    sizes = {}
    for d in rows.dataset:
        sizes[d] = sizes.get(d, 0) + 1
    prob = np.array([weights[d] / sizes[d] for d in rows.dataset])
    prob /= prob.sum()
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=steps, pct_start=0.15)
    started, running, skipped = time.time(), [], 0
    for step in range(steps):
        model.train()
        b = augment(rows.batch(rng.choice(len(rows), size=args.batch, p=prob)), rng, args.modality_dropout, args.word_dropout)
        loss = model.loss(run(model, b), b)['loss']
        optimizer.zero_grad()
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        if torch.isfinite(norm):
            optimizer.step()
        else:
            # An overflowing gradient (seen with the GloVe text side: late fusion at step 318 of 600)
            # would turn every weight into NaN; skip that batch instead (a no-op for finite runs).
            skipped += 1
        schedule.step()
        running.append(float(loss))
        if log_every and (step + 1) % log_every == 0:
            print(f'{label}step {step + 1}/{steps}: loss {np.mean(running[-log_every:]):.3f} ({time.time() - started:.0f} s)', flush=True)
    model.eval()
    return {'steps': steps, 'seconds': round(time.time() - started, 1), 'loss_last': float(np.mean(running[-20:])),
            'skipped_steps': skipped}


@torch.no_grad()
def predict(model, rows, presence=None):
    model.eval()
    scores, logits = [], []
    for start in range(0, len(rows), 64):
        out = run(model, rows.batch(np.arange(start, min(len(rows), start + 64)), presence))
        scores.append(out['score'][:, 0].numpy())
        logits.append(out['logits'].numpy())
    return np.concatenate(scores), np.concatenate(logits)


def softmax(logits):
    e = np.exp(logits - logits.max(1, keepdims=True))
    return e / e.sum(1, keepdims=True)


def class_metrics(rows, logits):
    true = [CLASSES[c] for c in rows.cls]
    pred = [CLASSES[int(k)] for k in logits.argmax(1)]
    confidence = softmax(logits).max(1)
    return {'acc': accuracy(true, pred), 'f1_weighted': weighted_f1(true, pred), 'f1_macro': macro_f1(true, pred),
            'ece': expected_calibration_error(confidence.tolist(), [t == q for t, q in zip(true, pred)])}


def speech_metrics(rows, logits):
    """Acted speech, 3-class valence (surprise has no agreed valence: left out, as the data README says)."""
    true = [CLASSES[c] for c in rows.cls]
    pred = [CLASSES[int(k)] for k in logits.argmax(1)]
    m = class_metrics(rows, logits)
    m.update({'balanced_acc': balanced_accuracy(true, pred), 'largest_class': largest_class_share(pred)})
    return m


def face_image_metrics(rows, scores, logits):
    """MVSA dev posts with a face, image only: share of the largest predicted class and the mean
    score of positive minus negative posts (face presence alone must not decide)."""
    face = rows.presence[:, 2] > 0
    pred = [CLASSES[int(k)] for k in logits[face].argmax(1)]
    cls = rows.cls[face]
    s = scores[face]
    return {'rows': int(face.sum()), 'largest_class': largest_class_share(pred),
            'positive_minus_negative': float(s[cls == 2].mean() - s[cls == 0].mean())}


def class_metrics_any(name, rows, logits):
    return {'ece': mosi_ece(rows, logits)} if name == 'mosi' else class_metrics(rows, logits)


def dev_classes(rows):
    """Gold classes of a dev set; MOSI's from the sign of its score (the 3-class view of the data README)."""
    return np.where(rows.cls >= 0, rows.cls, np.sign(rows.score).astype(np.int64) + 1)


def fit_temperature(model, dev):
    """[Note: seed temperature] The temperature minimising the negative log-likelihood of the dev
    sets' classes (MOSI 3-class view, MVSA, RAVDESS actors 17-20), by a grid over log T; written
    into the model (inside the exported graph). Returns (T, {dev set: logits at T = 1}): the
    temperature is reset first, so a run loaded with --from-state is measured uncalibrated too."""
    model.log_temperature.zero_()
    logits = {n: predict(model, r)[1] for n, r in dev.items()}
    z = np.concatenate(list(logits.values()))
    y = np.concatenate([dev_classes(r) for r in dev.values()])
    best, best_nll = 0.0, float('inf')
    for log_t in np.linspace(np.log(0.25), np.log(4.0), 121):
        p = softmax(z / np.exp(log_t))
        nll = float(-np.log(p[np.arange(len(y)), y].clip(1e-12)).mean())
        if nll < best_nll:
            best, best_nll = log_t, nll
    model.log_temperature.fill_(float(best))
    return float(np.exp(best)), logits


@torch.no_grad()
def fit_input_range(model, rows, sample=20000, seed=13):
    """[Note: seed out-of-range] Row-mean standardization and the 99th-percentile thresholds from
    the training rows (a seeded sample of at most `sample` rows, every speech and image row kept)."""
    model.eval()
    rng = np.random.default_rng(seed)
    keep = rows.presence[:, 1:].sum(1) > 0
    text_only = np.flatnonzero(~keep)
    idx = np.concatenate([np.flatnonzero(keep), rng.choice(text_only, size=min(len(text_only), sample), replace=False)])
    means, pres, unknown = {m: [] for m in ('text', 'audio', 'visual')}, [], []
    for start in range(0, len(idx), 256):
        b = rows.batch(idx[start:start + 256])
        x, masks = model.inputs(b['text_ids'], b['audio'], b['visual'], b['audio_mask'], b['visual_mask'])
        for m in means:
            means[m].append(model.range.row_mean(x[m], masks[m]))
        unknown.append(unknown_share(b['text_ids']).numpy())
        pres.append(b['presence'].numpy())
    pres = np.concatenate(pres)
    means = {m: torch.cat(v) for m, v in means.items()}
    for k, m in enumerate(('text', 'audio', 'visual')):
        v = means[m][torch.from_numpy(pres[:, k] > 0)].numpy()
        std = v.std(0)
        std[std < 1e-6] = 1.0
        getattr(model.range, f'{m}_mean').copy_(torch.from_numpy(v.mean(0)))
        getattr(model.range, f'{m}_std').copy_(torch.from_numpy(std))
    d = model.range.distances_of_means(means).numpy()
    values = [float(np.quantile(d[pres[:, k] > 0, k], OOD_QUANTILE)) if (pres[:, k] > 0).any() else 1e9 for k in range(3)]
    model.range.threshold.copy_(torch.tensor(values))
    shares = np.concatenate(unknown)[pres[:, 0] > 0]
    model.range.unknown_threshold.fill_(max(0.5, float(np.quantile(shares, OOD_QUANTILE))))
    return {'distance_thresholds': dict(zip(('text', 'audio', 'visual'), values)),
            'unknown_share_threshold': float(model.range.unknown_threshold), 'rows': int(len(idx))}


@torch.no_grad()
def ood_rates(model, rows):
    """Share of a dev set's rows flagged out of range, per modality (of the rows where it is present)."""
    flags, pres = [], []
    for start in range(0, len(rows), 64):
        b = rows.batch(np.arange(start, min(len(rows), start + 64)))
        flags.append(run(model, b)['ood'].numpy())
        pres.append(b['presence'].numpy())
    flags, pres = np.concatenate(flags), np.concatenate(pres)
    return {m: float(flags[pres[:, k] > 0, k].mean()) for k, m in enumerate(('text', 'audio', 'visual')) if (pres[:, k] > 0).any()}


def mosi_ece(rows, logits):
    """Calibration of the two-way decision on MOSI's non-zero rows: p(positive) against
    p(negative), renormalised; correct = the sign of the gold score."""
    probs = softmax(logits)[:, [0, 2]]
    probs /= probs.sum(1, keepdims=True)
    keep = rows.score != 0
    correct = (probs[:, 1] >= probs[:, 0]) == (rows.score > 0)
    return expected_calibration_error(probs.max(1)[keep].tolist(), correct[keep].tolist())


def speaker_folds(groups, k):
    """k folds of whole speakers (sorted speakers dealt round-robin: fold j = speakers j, j+k, ...)."""
    speakers = sorted(set(groups))
    return [speakers[j::k] for j in range(k)]


def emodb_cv(args, make_model, emodb, vocab):
    rows = Rows([('emodb', emodb, list(range(len(emodb.fs))))], vocab, args.max_tokens, args.max_audio)
    true_all, pred_all, per_fold = [], [], {}
    for j, held in enumerate(speaker_folds(rows.group, args.cv_folds)):
        tr = [i for i, g in enumerate(rows.group) if g not in held]
        te = [i for i, g in enumerate(rows.group) if g in held]
        train_rows = Rows([('emodb', emodb, tr)], vocab, args.max_tokens, args.max_audio)
        test_rows = Rows([('emodb', emodb, te)], vocab, args.max_tokens, args.max_audio)
        torch.manual_seed(args.seed + 1 + j)
        model = make_model()
        model.set_normalization(normalization(train_rows))
        train(model, train_rows, {'emodb': 1.0}, args, args.cv_steps, np.random.default_rng(args.seed + 1 + j), log_every=0)
        _, logits = predict(model, test_rows)
        true = [CLASSES[c] for c in test_rows.cls]
        pred = [CLASSES[int(k)] for k in logits.argmax(1)]
        per_fold['+'.join(held)] = accuracy(true, pred)
        true_all += true
        pred_all += pred
        print(f'emodb fold {j + 1}/{args.cv_folds} (speakers {",".join(held)}): acc {per_fold["+".join(held)]:.3f}', flush=True)
    return {'acc': accuracy(true_all, pred_all), 'f1_macro': macro_f1(true_all, pred_all), 'folds': args.cv_folds,
            'per_fold_acc': per_fold}


@torch.no_grad()
def parity_fixture(model, sets, vocab, args, info):
    """Real feature rows as the runtime feeds them (ids padded to maxTokens with 0; an absent
    modality as one zero frame) and PyTorch's outputs on them."""
    wrapper = PackExport(model, info['gates']).eval()
    cases = []

    def ids_of(tokens):
        ids = [vocab.get(t, 1) for t in tokens[:args.max_tokens]]
        return ids + [0] * (args.max_tokens - len(ids))

    def add(name, tokens, audio, visual, presence):
        feeds = [torch.tensor([ids_of(tokens)], dtype=torch.int64),
                 torch.from_numpy((audio if len(audio) else np.zeros((1, 57), np.float32))[None].astype(np.float32)),
                 torch.from_numpy((visual if len(visual) else np.zeros((1, 9), np.float32))[None].astype(np.float32)),
                 torch.tensor([presence], dtype=torch.float32)]
        outs = wrapper(*feeds)
        # The runtime pads to maxTokens; the model must give what it gives on the bare ids.
        bare = [torch.tensor([ids_of(tokens)[:max(1, len(tokens[:args.max_tokens]))]], dtype=torch.int64)] + feeds[1:]
        for o, ob in zip(outs, wrapper(*bare)):
            if not torch.allclose(o, ob, atol=1e-5):
                raise SystemExit(f'parity fixture {name}: padding the token ids to maxTokens changed an output')
        cases.append({'name': name,
                      'inputs': {n: {'dims': list(t.shape), 'data': t.reshape(-1).tolist()} for n, t in zip(PACK_INPUTS, feeds)},
                      'expected': {n: o.reshape(-1).tolist() for n, o in zip(info['outputs'], outs)}})

    mosi, mvsa, emodb = sets['mosi'], sets['mvsa'], sets['emodb']
    i = next(i for i, r in enumerate(mosi.fs.rows) if r['split'] == 'dev')
    add(f'mosi dev text ({mosi.fs.rows[i]["id"]})', mosi.fs.tokens[i], [], [], [1.0, 0.0, 0.0])
    j = next(i for i, r in enumerate(mvsa.fs.rows) if r['split'] == 'dev' and mvsa.fs.presence[i][2] > 0 and mvsa.fs.presence[i][0] > 0)
    add(f'mvsa dev text + image ({mvsa.fs.rows[j]["id"]})', mvsa.fs.tokens[j], [], mvsa.seq('visual', j), [1.0, 0.0, 1.0])
    lengths = emodb.offsets['audio'][1:] - emodb.offsets['audio'][:-1]
    e = int(np.argmin(lengths))
    add(f'emodb audio ({emodb.fs.rows[e]["id"]}, {lengths[e]} frames)', [], emodb.seq('audio', e), [], [0.0, 1.0, 0.0])
    add('all three (mosi text, emodb audio, mvsa image)', mosi.fs.tokens[i], emodb.seq('audio', e), mvsa.seq('visual', j), [1.0, 1.0, 1.0])
    add('unknown tokens only', ['zzqqxv', 'qqzzyx'], [], [], [1.0, 0.0, 0.0])
    add('nothing present', [], [], [], [0.0, 0.0, 0.0])
    return {'maxTokens': args.max_tokens, 'tolerance': 1e-4, 'inputNames': PACK_INPUTS, 'outputs': info['outputs'], 'cases': cases}


def read_pack_version(vocab_path):
    path = os.path.join(os.path.dirname(vocab_path), 'manifest.json')
    with open(path, encoding='utf-8') as f:
        return json.load(f)['version']


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--arch', required=True)
    p.add_argument('--flag', action='append', default=[], help='constructor option NAME=VALUE (ablations: use_cg=0)')
    p.add_argument('--data', default=os.path.join(HERE, 'data'))
    p.add_argument('--out', default=None)
    p.add_argument('--steps', type=int, default=300)
    p.add_argument('--batch', type=int, default=32)
    p.add_argument('--lr', type=float, default=2e-3)
    p.add_argument('--d-model', type=int, default=64)
    p.add_argument('--text-side', choices=['pack', 'glove'], default='pack',
                   help='pack: the default pack\'s frozen token encoder ([Note: seed text from the default pack]); '
                        'glove: the 2.x GloVe embedding trained here ([Note: seed text embedding])')
    p.add_argument('--text-state', default=os.path.join(HERE, 'runs', 'late-fusion-v1.pt'),
                   help='late-fusion-v1 state the pack text side is read from (written by late_fusion.py)')
    p.add_argument('--text-vocab', default=os.path.join(HERE, '..', 'resources', 'models', 'late-fusion-v1', 'vocab.txt'))
    p.add_argument('--speech', default='emodb,ravdess', help='acted speech sets (audio only)')
    p.add_argument('--glove', default=os.path.join(HERE, '..', '..', 'shared', 'data', 'text', 'glove'))
    p.add_argument('--extra-glove', type=int, default=10000, help='GloVe words beyond the training tokens in the vocabulary')
    p.add_argument('--min-count', type=int, default=2, help='sightings a token GloVe lacks needs for a trained vector')
    p.add_argument('--max-tokens', type=int, default=48)
    p.add_argument('--max-audio', type=int, default=1500, help='raw audio frames kept per training row (15 s)')
    p.add_argument('--audio-pool', type=int, default=10, help='raw audio frames averaged into one model frame')
    p.add_argument('--modality-dropout', type=float, default=0.2)
    p.add_argument('--word-dropout', type=float, default=0.05)
    p.add_argument('--text-extra', default='sst2,meld', help='extra text-only sets (comma list, "" for none)')
    p.add_argument('--cv-folds', type=int, default=4)
    p.add_argument('--cv-steps', type=int, default=120)
    p.add_argument('--threads', type=int, default=1)
    p.add_argument('--seed', type=int, default=13)
    p.add_argument('--from-state', default=None, help="a finished run's model.pt: no training, re-evaluate and re-export it")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    out_dir = args.out or os.path.join(HERE, 'runs', 'seed', args.arch)
    os.makedirs(out_dir, exist_ok=True)
    flags = {}
    for f in args.flag:
        k, v = f.split('=', 1)
        flags[k] = bool(int(v)) if v in ('0', '1') else float(v) if '.' in v else int(v)
    started = time.time()

    extra = [d for d in args.text_extra.split(',') if d]
    speech = [d for d in args.speech.split(',') if d]
    weights = {'mosi': 0.35, 'mvsa': 0.3, **{d: 0.2 / len(speech) for d in speech}}
    for d in extra:
        weights[d] = 0.15 / len(extra)
    sets = {n: SeqSet(os.path.join(args.data, n, 'features')) for n in weights}
    for n, s in sets.items():
        version = s.fs.description['recipes']['text']['tokenizer']['version']
        if version not in ((3,) if args.text_side == 'pack' else (2, 3)):
            raise SystemExit(f'{s.fs.folder}: tokenizer v{version} features; the seed packs read tokenizer v2 or v3 '
                             '(v3 with --text-side pack): re-run `npx sentiscope features` for it (training/README.md)')
    counts = token_counts(sets[n].fs.tokens[i] for n in sets for i in split_indices(sets[n].fs, 'train'))
    if args.text_side == 'pack':
        text_state = load_text_state(args.text_state)
        tokens, vocab = read_vocabulary(args.text_vocab)
        check_same_vocabulary(text_state, tokens)
        total = max(1, sum(counts.values()))
        summary = {'size': len(tokens), 'from': os.path.relpath(args.text_vocab, os.path.join(HERE, '..')),
                   'coverage': {'vocabulary': sum(c for t, c in counts.items() if t in vocab) / total},
                   # Which release the frozen encoder is: the state is the shipped default's run (step 0 of
                   # the seed training in training/README.md), whose manifest sits beside the vocabulary.
                   'encoder': f'late-fusion-v1 {read_pack_version(args.text_vocab)}'}
        text_dim = TOKEN_FEATURES
    else:
        glove_index, glove_vectors = load_glove(args.glove)
        vocabulary = SeedVocabulary(counts, args.min_count, args.extra_glove, glove_index, glove_vectors)
        tokens, vocab, summary, text_dim = vocabulary.tokens, vocabulary.index, vocabulary.summary(), args.d_model
    print('vocabulary:', json.dumps(summary), flush=True)
    train_rows = Rows([(n, s, split_indices(s.fs, 'train')) for n, s in sets.items()], vocab, args.max_tokens, args.max_audio)
    dev = {n: Rows([(n, sets[n], split_indices(sets[n].fs, 'dev'))], vocab, args.max_tokens, args.max_audio)
           for n in ('mosi', 'mvsa', 'ravdess') if n in sets and split_indices(sets[n].fs, 'dev')}

    def make_model():
        text = PackTextEncoder(text_state) if args.text_side == 'pack' else \
            GloveEmbedding(vocabulary.learned, vocabulary.vectors, args.d_model)
        return SeedPackModel(args.arch, text, text_dim, audio_pool=args.audio_pool, d_model=args.d_model, **flags)

    model = make_model()
    if args.from_state:
        # Re-evaluate and re-export a finished run (e.g. with outputs added since): its weights, no training.
        previous = json.load(open(os.path.join(os.path.dirname(args.from_state), 'metrics.json'), encoding='utf-8'))
        missing, unexpected = model.load_state_dict(torch.load(args.from_state, map_location='cpu'), strict=False)
        if unexpected or any(not k.startswith('range.') for k in missing):
            raise SystemExit(f'{args.from_state}: not a run of this architecture (missing {missing}, unexpected {unexpected})')
        fit = previous['training']
    else:
        model.set_normalization(normalization(train_rows))
        fit = train(model, train_rows, weights, args, args.steps, rng)

    temperature, raw_logits = fit_temperature(model, dev)
    uncalibrated = {n: class_metrics_any(n, dev[n], z)['ece'] for n, z in raw_logits.items()}
    scores, logits = predict(model, dev['mosi'])
    metrics = {'mosi-dev': mosi_metrics(dev['mosi'].score.tolist(), scores.tolist())}
    metrics['mosi-dev']['ece_non0'] = mosi_ece(dev['mosi'], logits)
    metrics['calibration'] = {'temperature': temperature, **{f'{n}_ece_uncalibrated': v for n, v in uncalibrated.items()}}
    input_range = fit_input_range(model, train_rows)
    metrics['out-of-range-dev'] = {f'{n}_{m}': v for n, r in dev.items() for m, v in ood_rates(model, r).items()}
    _, logits = predict(model, dev['mvsa'])
    metrics['mvsa-dev'] = class_metrics(dev['mvsa'], logits)
    _, logits = predict(model, dev['mvsa'], dev['mvsa'].presence * np.array([1, 0, 0], np.float32))
    metrics['mvsa-dev-text-only'] = class_metrics(dev['mvsa'], logits)
    scores, logits = predict(model, dev['mvsa'], dev['mvsa'].presence * np.array([0, 0, 1], np.float32))
    metrics['mvsa-dev-image-only-faces'] = face_image_metrics(dev['mvsa'], scores, logits)
    if 'ravdess' in dev:
        _, logits = predict(model, dev['ravdess'])
        metrics['ravdess-dev'] = speech_metrics(dev['ravdess'], logits)
    print(json.dumps(metrics), flush=True)
    if args.from_state and 'emodb-speaker-cv' in previous['metrics']:
        metrics['emodb-speaker-cv'] = previous['metrics']['emodb-speaker-cv']  # the fold models, not this one
    elif args.cv_folds > 1:
        cv_started = time.time()
        metrics['emodb-speaker-cv'] = emodb_cv(args, make_model, sets['emodb'], vocab)
        metrics['emodb-speaker-cv']['seconds'] = round(time.time() - cv_started, 1)

    sizes = {n: int(sum(1 for d in train_rows.dataset if d == n)) for n in weights}
    frames = {n: {'audio': int(sum(len(a) for a, d in zip(train_rows.audio, train_rows.dataset) if d == n)),
                  'visual': int(sum(len(v) for v, d in zip(train_rows.visual, train_rows.dataset) if d == n))} for n in weights}
    params = sum(p.numel() for p in model.parameters())
    info = export_pack_onnx(model, os.path.join(out_dir, 'model.onnx'))
    with open(os.path.join(out_dir, 'fixture.json'), 'w', encoding='utf-8') as f:
        json.dump(parity_fixture(model, sets, vocab, args, info), f)
        f.write('\n')
    with open(os.path.join(out_dir, 'vocab.txt'), 'w', encoding='utf-8', newline='\n') as f:
        f.write(''.join(t + '\n' for t in tokens))
    torch.save(model.state_dict(), os.path.join(out_dir, 'model.pt'))
    seconds = previous['seconds'] if args.from_state else round(time.time() - started)
    result = {'architecture': args.arch, 'flags': flags, 'args': vars(args), 'seconds': seconds,
              'training': fit, 'parameters': params, 'onnx': info, 'dataset_weights': weights,
              'inputs': ((f'text: tokenizer v{version} ids (vocabulary {len(tokens)} + pad/unknown, max {args.max_tokens} '
                          f'tokens) -> the frozen token encoder of late-fusion-v1 ({TOKEN_FEATURES} per token)')
                         if args.text_side == 'pack' else
                         (f'text: tokenizer v{version} ids (vocabulary {len(tokens)} + pad/unknown, max {args.max_tokens} tokens) -> '
                          f'frozen GloVe 6B 100-d ({vocabulary.glove} words) or trained vectors ({vocabulary.learned} '
                          f'tokens) -> projection to {args.d_model}')) +
                        (f'; audio: active, utterance-relative acoustic frames averaged by {args.audio_pool} inside the model; '
                        'visual: expression frames (a neutral face = no face)'),
              'vocabulary': summary, 'input_range': input_range,
              'train_rows': sizes, 'train_frames': frames,
              'dev_rows': {n: len(r) for n, r in dev.items()}, 'metrics': metrics}
    print(json.dumps({k: result[k] for k in ('architecture', 'flags', 'seconds', 'metrics')}, indent=1), flush=True)
    with open(os.path.join(out_dir, 'metrics.json'), 'w', encoding='utf-8') as f:
        json.dump(result, f, indent=1)


if __name__ == '__main__':
    import warnings
    warnings.filterwarnings('ignore')
    main()
