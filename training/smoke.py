"""Smoke run of every seed architecture (training/models): a few optimizer steps on a tiny slice
of real features, behaviour checks, ONNX export, and the PyTorch outputs the parity test
(tests/integration/training-smoke.test.ts) replays through onnxruntime-node.

  /usr/bin/python3 training/smoke.py --out DIR [--steps 25] [--arch cmsta ...]

Reads tests/fixtures/training/tiny.npz (built from training/data by
training/models/build_fixture.py; committed, so CI needs no training data). Writes
DIR/<arch>.onnx, DIR/parity.json and DIR/report.json; exits 1 when a check fails.

Checks per architecture (and per ablation variant where the model has switches):
- training: every loss finite over the steps (and the mean of the last steps is reported next
  to the first's: a handful of steps on 37 rows is a smoke run, not a learning curve);
- masking: each row run alone (batch 1, no padding) equals the same row inside a padded batch;
- presence: replacing an absent modality's frames with random ones (another length) changes nothing;
- all-absent rows give finite outputs; score in [-3, 3]; every gate in [0, 1];
- export: ONNX at batch 1 with dynamic lengths; PyTorch outputs for cases of different lengths.
Plus: FD-CMDIE cross-sample pair selection on a toy batch gives the pairs worked out by hand,
and the contrastive / triplet / uncertainty-weighted losses are finite; the seed packs' audio
and visual input transforms remove a gain, a tilt, trailing silence, the pitch register and a
neutral face, as they claim (pack_input_checks).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

sys.dont_write_bytecode = True  # no __pycache__ in the working tree
from models import ARCHITECTURES, build  # noqa: E402
from models.fdcmdie import FDCMDIELoss, select_cross_sample_pairs  # noqa: E402
from models.pack_model import ENERGY, F0, LOGMEL_MFCC, ActiveFrames, ExpressionFrames  # noqa: E402
from sentiscope_training.data import MODALITIES  # noqa: E402
from sentiscope_training.export import INPUT_NAMES, ExportWrapper, export_onnx  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

FIXTURE = os.path.join(HERE, '..', 'tests', 'fixtures', 'training', 'tiny.npz')
TOLERANCE = 1e-4
ABLATIONS = {
    'cmsta': [{'use_cmsta': False}, {'use_cg': False}, {'use_tcmfi': False}],
    'fdcmdie': [{'use_contrastive': False}, {'use_gap': False}, {'use_second_cross': False}],
}


class Fixture:
    """Ragged frame sequences of the fixture, batched with padding masks."""

    def __init__(self, path):
        z = np.load(path)
        self.n = len(z['ids'])
        self.ids = [str(i) for i in z['ids']]
        self.seqs = {}
        for m in MODALITIES:
            lengths, data = z[f'{m}_lengths'], z[f'{m}_data']
            starts = np.concatenate([[0], np.cumsum(lengths)])
            self.seqs[m] = [data[starts[i]:starts[i + 1]] for i in range(self.n)]
        self.dims = {m: int(z[f'{m}_data'].shape[1]) for m in MODALITIES}
        self.presence = z['presence'].astype(np.float32)
        self.cls, self.score, self.has_score = z['cls'], z['score'].astype(np.float32), z['has_score'].astype(np.float32)

    def normalization(self):
        stats = {}
        for m in MODALITIES:
            frames = np.concatenate([s for s in self.seqs[m] if len(s)])
            stats[m] = (frames.mean(0), frames.std(0))
        return stats

    def batch(self, indices):
        b = {}
        for m in MODALITIES:
            width = max(1, max(len(self.seqs[m][i]) for i in indices))
            x = np.zeros((len(indices), width, self.dims[m]), np.float32)
            mask = np.zeros((len(indices), width), np.float32)
            for k, i in enumerate(indices):
                s = self.seqs[m][i]
                x[k, :len(s)], mask[k, :len(s)] = s, 1.0
            b[m], b[f'{m}_mask'] = torch.from_numpy(x), torch.from_numpy(mask)
        idx = np.asarray(indices)
        b['presence'] = torch.from_numpy(self.presence[idx])
        b['cls'], b['score'] = torch.from_numpy(self.cls[idx]), torch.from_numpy(self.score[idx])
        b['has_score'] = torch.from_numpy(self.has_score[idx])
        return b

    def single(self, i):
        """Row i as the runtime feeds it: batch 1, no padding, an absent modality as one zero frame."""
        feeds = []
        for m in MODALITIES:
            s = self.seqs[m][i]
            feeds.append(torch.from_numpy(s[None] if len(s) else np.zeros((1, 1, self.dims[m]), np.float32)))
        return feeds + [torch.from_numpy(self.presence[i:i + 1])]


def run(model, b):
    return model(b['text'], b['audio'], b['visual'], b['text_mask'], b['audio_mask'], b['visual_mask'], b['presence'])


def run_single(model, feeds):
    text, audio, visual, presence = feeds
    return model(text, audio, visual, *[torch.ones_like(x[:, :, 0]) for x in (text, audio, visual)], presence)


def flat_outputs(out):
    parts = [out['score'], out['logits']] + [out['gates'][g] for g in sorted(out.get('gates', {}))]
    return torch.cat([p.reshape(p.shape[0], -1) for p in parts], dim=1)


class Checks:
    def __init__(self):
        self.failures, self.passed = [], 0

    def expect(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)
            print(f'  FAIL {what}', flush=True)


def train(model, fx, steps, rng, checks, name):
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    model.train()
    history = []
    for _ in range(steps):
        idx = rng.choice(fx.n, size=12, replace=False).tolist()
        b = fx.batch(idx)
        parts = model.loss(run(model, b), b)
        optimizer.zero_grad()
        parts['loss'].backward()
        optimizer.step()
        history.append(float(parts['loss']))
    checks.expect(all(np.isfinite(history)), f'{name}: every training loss finite')
    model.eval()
    k = max(1, min(5, steps // 3))
    return {'steps': steps, 'loss_first': float(np.mean(history[:k])), 'loss_last': float(np.mean(history[-k:]))}


@torch.no_grad()
def behaviour(model, fx, checks, name, rng):
    model.eval()
    everything = list(range(fx.n))
    batched = flat_outputs(run(model, fx.batch(everything)))
    worst_mask = 0.0
    for i in everything:
        alone = flat_outputs(run_single(model, fx.single(i)))
        worst_mask = max(worst_mask, float((alone[0] - batched[i]).abs().max()))
    checks.expect(worst_mask <= 1e-5, f'{name}: padding changes no output (max diff {worst_mask:.2e})')
    worst_presence = 0.0
    for i in everything:
        feeds = fx.single(i)
        base = flat_outputs(run_single(model, feeds))
        for k in range(3):
            if feeds[3][0, k] == 0:
                noisy = list(feeds)
                noisy[k] = torch.from_numpy(rng.normal(0, 5, (1, 3 + k, fx.dims[MODALITIES[k]])).astype(np.float32))
                worst_presence = max(worst_presence, float((flat_outputs(run_single(model, noisy)) - base).abs().max()))
    checks.expect(worst_presence <= 1e-5, f'{name}: an absent modality\'s content changes nothing (max diff {worst_presence:.2e})')
    b = fx.batch(everything[:6])
    b['presence'] = torch.zeros_like(b['presence'])
    out = run(model, b)
    checks.expect(bool(torch.isfinite(flat_outputs(out)).all()), f'{name}: all-absent rows give finite outputs')
    out = run(model, fx.batch(everything))
    checks.expect(bool((out['score'].abs() <= 3).all()), f'{name}: score in [-3, 3]')
    for g, t in out.get('gates', {}).items():
        checks.expect(bool(((t >= 0) & (t <= 1)).all()), f'{name}: gate {g} in [0, 1]')
    return {'padding_max_diff': worst_mask, 'presence_max_diff': worst_presence, 'gates': sorted(out.get('gates', {}))}


def parity_cases(fx):
    """Rows of different shapes: the video (all three, longest), an MVSA post with a face, an EmoDB wav."""
    by_kind = {}
    for i, rid in enumerate(fx.ids):
        p = tuple(fx.presence[i])
        if p == (1, 1, 1):
            by_kind.setdefault('mosi video: text + audio + visual', i)
        elif rid.startswith('mvsa:') and p == (1, 0, 1):
            by_kind.setdefault('mvsa post: text + image', i)
        elif rid.startswith('emodb:'):
            by_kind.setdefault('emodb wav: audio only', i)
    return list(by_kind.items())


@torch.no_grad()
def parity(model, fx, info):
    wrapper = ExportWrapper(model, info['gates']).eval()
    cases = []
    for label, i in parity_cases(fx):
        feeds = fx.single(i)
        outs = wrapper(*feeds)
        cases.append({
            'name': f'{label} ({fx.ids[i]})',
            'inputs': {n: {'dims': list(t.shape), 'data': t.reshape(-1).tolist()} for n, t in zip(INPUT_NAMES, feeds)},
            'expected': {n: o.reshape(-1).tolist() for n, o in zip(info['outputs'], outs)},
        })
    return cases


def toy_pair_selection(checks):
    """Six samples on a circle, labels 0 0 0 1 1 -1: worked out by hand (k = 1)."""
    angles = torch.tensor([0.0, 0.2, 1.0, 0.3, 3.0, 0.1])
    emb = torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)
    labels = torch.tensor([0, 0, 0, 1, 1, -1])
    pos, neg = select_cross_sample_pairs(emb, labels, 1)
    want_pos = {(0, 1), (1, 0), (2, 1), (3, 4), (4, 3)}  # nearest same-label sample
    want_neg = {(0, 4), (1, 4), (2, 4), (3, 2), (4, 0)}  # farthest other-label sample
    got_pos = {tuple(p) for p in torch.nonzero(pos).tolist()}
    got_neg = {tuple(p) for p in torch.nonzero(neg).tolist()}
    checks.expect(got_pos == want_pos, f'fdcmdie: toy positives {sorted(got_pos)} == {sorted(want_pos)}')
    checks.expect(got_neg == want_neg, f'fdcmdie: toy negatives {sorted(got_neg)} == {sorted(want_neg)}')
    pos2, _ = select_cross_sample_pairs(emb, labels, 2)
    checks.expect({tuple(p) for p in torch.nonzero(pos2[0:1]).tolist()} == {(0, 1), (0, 2)}, 'fdcmdie: k_cl = 2 takes both same-label samples')
    # Contrastive terms on the toy batch: finite, and zero triplet when every margin is met.
    sim = torch.randn(6, 3, 8)
    usable = torch.ones(6, 3)
    loss, parts = FDCMDIELoss().contrastive(sim, usable, labels)
    checks.expect(all(bool(torch.isfinite(v)) for v in [loss, *parts.values()]), 'fdcmdie: contrastive terms finite')
    usable[:, 1:] = 0  # text only: no in-sample pairs, loss still finite
    loss, _ = FDCMDIELoss().contrastive(sim, usable, labels)
    checks.expect(bool(torch.isfinite(loss)), 'fdcmdie: contrastive loss finite with one modality')


def pack_input_checks(fx, checks):
    """[Note: seed active frames] and [Note: seed expression frames] on the fixture's real frames:
    what they claim to remove (a studio's gain and tilt, the silence after a voice, the speaker's
    pitch register, a neutral face) must not change what the architecture reads."""
    active = ActiveFrames()
    rows = [i for i in range(fx.n) if fx.presence[i, 1] > 0 and len(fx.seqs['audio'][i]) > 5]
    x = torch.from_numpy(np.asarray(fx.seqs['audio'][rows[0]], np.float32))[None]
    ones = torch.ones(1, x.shape[1])
    base, base_mask = active(x, ones)
    studio = x.clone()
    studio[:, :, LOGMEL_MFCC] += torch.linspace(-3.0, 2.0, 53)  # a gain and a spectral tilt, per column
    studio[:, :, ENERGY] += 2.5
    got, got_mask = active(studio, ones)
    checks.expect(float((got - base).abs().max()) < 1e-4 and bool((got_mask == base_mask).all()),
                  'seed audio: a gain and a spectral tilt change nothing')
    quiet = x.clone()[:, :20]
    quiet[:, :, ENERGY] = x[:, :, ENERGY].min() - 20.0  # 87 dB below the quietest frame: silence, whatever its spectrum
    padded = torch.cat([x, quiet], dim=1)
    got, got_mask = active(padded, torch.ones(1, padded.shape[1]))
    checks.expect(float((got[:, :x.shape[1]] - base).abs().max()) < 1e-4 and float(got_mask[:, x.shape[1]:].sum()) == 0,
                  'seed audio: trailing silence is not read and changes nothing')
    higher = x.clone()
    higher[:, :, F0] *= 1.5
    got, _ = active(higher, ones)
    checks.expect(float((got - base).abs().max()) < 1e-4, 'seed audio: pitch is read relative to the utterance\'s own')
    checks.expect(float(base_mask.sum()) > 0, 'seed audio: a real clip has active frames')
    expression = ExpressionFrames()
    frames = torch.tensor([[[1, 0, 0, 0, 0, 0, 0, 1, 0.9], [0] * 9, [1, 0, 0, 0, 0.9, 0, 0, 0.1, 0.9],
                            [1, 0.1, 0, 0, 0, 0.8, 0, 0.1, 0.9]]], dtype=torch.float32)
    out = expression(frames)[0]
    checks.expect(float(out[0].abs().max()) == 0.0 and float(out[1].abs().max()) == 0.0,
                  'seed visual: a neutral face reads exactly like no face (zeros)')
    checks.expect(float(out[2, -1]) > 0 > float(out[3, -1]), 'seed visual: a smile has positive valence, a sad face negative')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True)
    parser.add_argument('--steps', type=int, default=25)
    parser.add_argument('--arch', nargs='*', default=list(ARCHITECTURES))
    parser.add_argument('--fixture', default=FIXTURE)
    args = parser.parse_args()
    torch.set_num_threads(2)
    os.makedirs(args.out, exist_ok=True)
    fx = Fixture(args.fixture)
    checks = Checks()
    started = time.time()
    report = {'fixture_rows': fx.n, 'dims': fx.dims, 'architectures': {}}
    parity_out = {'tolerance': TOLERANCE, 'inputNames': INPUT_NAMES, 'architectures': {}}
    toy_pair_selection(checks)
    pack_input_checks(fx, checks)
    for name in args.arch:
        t0 = time.time()
        variants = [({}, name)] + [(flags, f'{name} w/o {",".join(flags)}') for flags in ABLATIONS.get(name, [])]
        for flags, label in variants:
            torch.manual_seed(7)
            rng = np.random.default_rng(7)
            model = build(name, fx.dims, **flags)
            model.set_normalization(fx.normalization())
            steps = args.steps if not flags else max(2, args.steps // 5)
            entry = {'training': train(model, fx, steps, rng, checks, label)}
            entry['behaviour'] = behaviour(model, fx, checks, label, rng)
            if not flags:
                path = os.path.join(args.out, f'{name}.onnx')
                info = export_onnx(model, path)
                parity_out['architectures'][name] = {'file': f'{name}.onnx', 'outputs': info['outputs'],
                                                     'cases': parity(model, fx, info)}
                entry['onnx_bytes'] = os.path.getsize(path)
            entry['seconds'] = round(time.time() - t0, 1)
            report['architectures'][label] = entry
            print(f'{label}: loss {entry["training"]["loss_first"]:.3f} -> {entry["training"]["loss_last"]:.3f}, '
                  f'padding diff {entry["behaviour"]["padding_max_diff"]:.1e}, {entry["seconds"]} s', flush=True)
    report['seconds'] = round(time.time() - started, 1)
    report['checks_passed'] = checks.passed
    report['failures'] = checks.failures
    with open(os.path.join(args.out, 'parity.json'), 'w', encoding='utf-8') as f:
        json.dump(parity_out, f)
    with open(os.path.join(args.out, 'report.json'), 'w', encoding='utf-8') as f:
        json.dump(report, f, indent=1)
    print(f'{checks.passed} checks passed, {len(checks.failures)} failed, {report["seconds"]} s')
    return 1 if checks.failures else 0


if __name__ == '__main__':
    import warnings
    warnings.filterwarnings('ignore')  # torch.onnx's tracer warnings about shapes are expected here
    sys.exit(main())
