"""Writing a seed model pack (resources/models/<arch>-seed-v1) from a finished train_seed run
(training/seed_pack.py is the command).

Per architecture: fusion.onnx + vocab.txt + parity/fixture.json copied from RUNS/<arch>/, and
manifest.json (contract: src/core/models/manifest.ts) + MODEL_CARD.md written from the run's
metrics.json, the ablation runs next to it and the features' recipes (features.json). No pack is
marked default: which one is the default is decided from the table (training/README.md).
A pack is only replaced by a run at least as good as it, or within one standard error of the
default pack, on MOSI dev and MVSA dev (`not_worse`).
"""
import json
import math
import os
import shutil

from .data import CLASSES
from .pack import DATASET_INFO, REPO

ARCH_INFO = {
    'late-fusion': ('Late fusion over sequences', 'late-fusion-sequences',
                    'Per modality: projection -> masked mean over frames -> MLP -> 3 logits + raw score; decisions averaged '
                    'with presence-masked learned softmax weights (gate `modality_weights`); score = 3*tanh(raw).'),
    'tfn': ('Tensor Fusion Network', 'tfn',
            'TFN (Zadeh et al. 2017): text LSTM (state at the last real token), audio/visual masked mean + 3-layer MLP, '
            '3-fold outer product of [z;1] vectors -> MLP -> 3 logits + score.'),
    'lmf': ('Low-rank Multimodal Fusion', 'lmf',
            'LMF (Liu et al. 2018): TFN\'s modality subnetworks, rank-4 modality-specific factors instead of the full '
            'fusion tensor -> MLP -> 3 logits + score.'),
    'cmsta': ('CM-STA + CG + TCMFI', 'cmsta-cg-tcmfi',
              'Text-query cross-attention over the visual and audio frames (2 layers per pair, learnable residual weights, '
              'LayerNorm, mean pooling per pair); contextual gating (summed pair interactions -> 3 ReLU layers -> sigmoid '
              'gate per modality, exported as `modality_gates`); Transformer fusion (6 encoder layers over all frames, '
              'learnable positional and modality embeddings) with global pooling mixed with bilinear pooling of '
              'text/visual/audio by learnable weights.'),
    'fdcmdie': ('FD-CMDIE', 'fd-cmdie',
                'Feature decoupling (one shared similarity encoder + three private encoders, LayerNorm -> Linear -> Tanh '
                '-> Dropout); 2 stacked DIPU units per modality (cross-attention to the global similarity feature, '
                'self-attention, second cross-attention to the original inputs, FFN); gated attention pooling between '
                'layers (gate `modality_gates`); loss MAE + CE + 0.1 x (NT-Xent in-sample + cross-sample, k_cl = 2, + '
                '0.5 x triplet with the text similarity feature as anchor).'),
    'clip-ca': ('CLIP-CA-MSA style', 'clip-ca-msa',
                'Text <-> image cross-attention (1 layer each way, here over Sentiscope\'s token embeddings and visual '
                'frames, not CLIP embeddings); audio joins by masked mean + MLP; uncertainty-weighted multi-task loss '
                '(learned log-variances) over score, class, text-only class and image-only class.'),
}
ABLATIONS = {
    'cmsta': [('cmsta-no-cmsta', 'w/o CM-STA'), ('cmsta-no-cg', 'w/o CG'), ('cmsta-no-tcmfi', 'w/o TCMFI')],
    'fdcmdie': [('fdcmdie-no-contrastive', 'w/o contrastive loss'), ('fdcmdie-no-gap', 'w/o gated attention pooling'),
                ('fdcmdie-no-second-cross', 'w/o second cross-attention')],
}
# 2.x: tokenizer v2 ids, GloVe text side ([Note: seed text embedding]). 3.x: tokenizer v3 ids through
# late-fusion-v1's frozen token encoder ([Note: seed text from the default pack]), active
# utterance-relative audio frames ([Note: seed active frames]), expression frames ([Note: seed
# expression frames]), EmoDB + RAVDESS, a dev-fitted temperature ([Note: seed temperature]).
VERSION = '3.0.0'
TEXT_ENCODER = {'name': 'late-fusion-v1 text encoder (English, first branch of its ensemble; frozen token features)',
                'license': 'MIT code; weights inherit the terms of late-fusion-v1\'s training data (research use)',
                'source': 'resources/models/late-fusion-v1 (training/runs/late-fusion-v1.pt, training/late_fusion.py)'}
GLOVE = {'name': 'GloVe 6B 100-d word vectors (100,000 most frequent words; text embeddings, frozen)', 'license': 'PDDL 1.0',
         'source': '../shared/data/text/glove (Pennington, Socher & Manning 2014, nlp.stanford.edu/projects/glove)'}
# What a new run must match on dev to replace a shipped pack: (split, metric).
GATE = [('mosi-dev', 'acc2_non0'), ('mvsa-dev', 'acc')]
DEV_ROWS = {'mosi-dev': 216, 'mvsa-dev': 440}  # MOSI dev's non-zero rows, MVSA dev's posts: the standard errors' n
USED = {
    'mosi': 'text; score (L1) + class of the score (CE)',
    'mvsa': 'text + image (visual frames: one per image, zeros where no face); post label (CE) + proxy score (L1 x 0.3)',
    'emodb': 'audio (active, utterance-relative acoustic frames, pooled x10 in the model); valence class (CE at equal class '
             'mass) + proxy score; all 8 speakers',
    'ravdess': 'audio (as EmoDB); valence class (README mapping; surprise left out) at equal class mass + proxy score; '
               'actors 01-16 (17-20 are dev)',
    'sst2': 'text; binary label as negative/positive (CE) + proxy score',
    'meld': 'text; sentiment class (CE) + proxy score',
}


def load_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def text_encoder_release(r):
    """Which late-fusion-v1 release a run's frozen token encoder came from (train_seed records it;
    runs from before that say only the pack)."""
    return (r.get('vocabulary') or {}).get('encoder', 'late-fusion-v1')


def numeric(metrics):
    return {split: {k: v for k, v in m.items() if isinstance(v, (int, float)) and not isinstance(v, bool) and k != 'seconds'}
            for split, m in metrics.items()}


def fmt(v):
    return f'{v:.4f}' if isinstance(v, float) else str(v)


def metric_lines(metrics):
    lines = []
    for split, m in metrics.items():
        lines.append(f'- **{split}**: ' + ', '.join(f'{k} {fmt(v)}' for k, v in m.items() if not isinstance(v, dict) and k != 'seconds'))
        for k, v in m.items():
            if isinstance(v, dict):
                lines.append(f'  - {k}: ' + ', '.join(f'{kk} {fmt(vv)}' for kk, vv in v.items()))
    return lines


def summary(m):
    mo, mv, cv = m['mosi-dev'], m['mvsa-dev'], m.get('emodb-speaker-cv', {})
    cv_text = f'{100 * cv["acc"]:.1f} / {100 * cv["f1_macro"]:.1f}' if cv else '—'
    return (f'{100 * mo["acc2_non0"]:.1f} | {mo["mae"]:.3f} | {mo["corr"]:.3f} | {100 * mv["acc"]:.1f} | '
            f'{100 * mv["f1_weighted"]:.1f} | {cv_text}')


def not_worse(run_metrics, shipped_manifest, default_manifest=None):
    """(ok, why): on every GATE metric the run matches or beats the shipped pack, or is within one
    standard error (sqrt(p(1-p)/n) of the default's accuracy p on that dev set) of the default pack,
    the line issue 11 draws ("within noise of, or better than, the default")."""
    why = []
    for split, key in GATE:
        new, old = run_metrics[split][key], shipped_manifest.get('metrics', {}).get(split, {}).get(key)
        ref = (default_manifest or {}).get('metrics', {}).get(split, {}).get(key)
        if old is None or new >= old:
            continue
        if ref is not None and new >= ref - math.sqrt(ref * (1 - ref) / DEV_ROWS[split]):
            continue
        line = f'{split} {key} {100 * new:.1f} < shipped {100 * old:.1f}'
        if ref is not None:
            line += f' and more than one standard error below the default\'s {100 * ref:.1f}'
        why.append(line)
    return not why, '; '.join(why)


def write_pack(arch, runs, models, recipes, columns, ablation_runs):
    run_dir = os.path.join(runs, arch)
    r = load_json(os.path.join(run_dir, 'metrics.json'))
    a = r['args']
    pack_id = f'{arch}-seed-v1'
    out = os.path.join(models, pack_id)
    os.makedirs(os.path.join(out, 'parity'), exist_ok=True)
    shutil.copyfile(os.path.join(run_dir, 'model.onnx'), os.path.join(out, 'fusion.onnx'))
    shutil.copyfile(os.path.join(run_dir, 'vocab.txt'), os.path.join(out, 'vocab.txt'))
    shutil.copyfile(os.path.join(run_dir, 'fixture.json'), os.path.join(out, 'parity', 'fixture.json'))
    title, architecture, description = ARCH_INFO[arch]
    face = load_json(os.path.join(REPO, 'resources', 'models', 'face', 'manifest.json'))
    sets = list(r['train_rows'])
    data = [{'name': DATASET_INFO[n][0], 'splits': ['train'], 'rows': r['train_rows'][n], 'modalities': DATASET_INFO[n][1],
             'source': f'../shared/data ({DATASET_INFO[n][3]}); terms: {DATASET_INFO[n][2]}'} for n in sets]
    command = r_command(arch, a, runs).replace('\n', ' && ')
    gates = r['onnx']['gates']
    manifest = {
        'format': 'sentiscope-model-pack',
        'formatVersion': 1,
        'id': pack_id,
        'version': VERSION,
        'name': f'{title} (seed, default-pack text encoder, short CPU training)',
        'architecture': architecture,
        'description': (f'{description} Inputs are the raw frame sequences Sentiscope extracts, turned inside the graph '
                        f'into what the architecture reads: tokenizer v{recipes["text"]["tokenizer"]["version"]} ids -> '
                        f'the frozen token encoder of {text_encoder_release(r)} (GloVe 6B 100-d vectors, convolutions of width 1-3: '
                        '192 features per token); acoustic frames within 30 dB of the loudest, relative to their own '
                        f'utterance, average-pooled x{a["audio_pool"]}; visual frames as expression probabilities times face, '
                        'a neutral face equal to no face; plus the presence mask. Standardization and a dev-fitted '
                        f'temperature are inside the ONNX graph. Trained for only {a["steps"]} steps on CPU: see MODEL_CARD.md.'),
        'modalities': ['text', 'audio', 'visual'],
        'inputs': {
            # The text recipe the features were extracted with (its tokenizer version included); English only.
            'text': {'recipe': recipes['text'], 'vocabulary': 'vocab.txt', 'maxTokens': a['max_tokens'], 'languages': ['en']},
            'audio': {'recipe': recipes['audio']},
            'visual': {'recipe': recipes['visual']},
        },
        'fusion': {
            'file': 'fusion.onnx',
            'inputs': [
                {'name': 'text_ids', 'dtype': 'int64', 'shape': [1, 'tokens'], 'feature': 'text.token_ids'},
                {'name': 'audio_frames', 'dtype': 'float32', 'shape': [1, 'audio_frames', len(columns['audio_frames'])],
                 'feature': 'audio.frames', 'columns': columns['audio_frames']},
                {'name': 'visual_frames', 'dtype': 'float32', 'shape': [1, 'visual_frames', len(columns['visual_frames'])],
                 'feature': 'visual.frames', 'columns': columns['visual_frames']},
                {'name': 'presence', 'dtype': 'float32', 'shape': [1, 3], 'feature': 'presence', 'columns': columns['presence']},
            ],
            'outputs': {'score': 'score', 'logits': 'logits', **({'gates': {g: g for g in gates}} if gates else {}),
                        **({'ood': 'ood'} if 'ood' in r['onnx']['outputs'] else {})},
        },
        'output': {'scoreRange': [-3, 3], 'classes': CLASSES},
        'training': {'data': data, 'command': command},
        'metrics': numeric(r['metrics']),
        'license': ('Non-commercial research use only: the weights derive from CMU-MOSI, SST-2, MELD, MVSA and EmoDB '
                    '(research use) and RAVDESS (CC BY-NC-SA 4.0: non-commercial, share-alike), and the text encoder from '
                    'late-fusion-v1 (research use). The training code is part of Sentiscope (MIT).')
        if 'ravdess' in sets else ('Research use only: the weights derive from CMU-MOSI, SST-2, MELD, MVSA and EmoDB, whose '
                                    'terms allow research use. The training code is part of Sentiscope (MIT).'),
        'derivedFrom': [
            *[{'name': DATASET_INFO[n][0], 'license': DATASET_INFO[n][2], 'source': DATASET_INFO[n][3]} for n in sets],
            GLOVE,
            *([{**TEXT_ENCODER, 'name': TEXT_ENCODER['name'].replace('late-fusion-v1', text_encoder_release(r))}]
              if a.get('text_side') == 'pack' else []),
            {'name': 'BlazeFace (face detector, visual features)', 'license': face['licenses']['blazeface'],
             'source': 'resources/models/face/blazeface.onnx (@vladmandic/human)'},
            {'name': 'mini-Xception FER2013 (expression net, visual features)', 'license': face['licenses']['emotion'],
             'source': 'resources/models/face/emotion.onnx (@vladmandic/human)'},
        ],
    }
    if r['flags']:
        raise SystemExit(f'{run_dir} is an ablation run ({r["flags"]}); packs ship the full architectures only')
    with open(os.path.join(out, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    write_card(arch, pack_id, r, ablation_runs, out, recipes['text']['tokenizer']['version'])
    return pack_id


def write_card(arch, pack_id, r, ablation_runs, out, tokenizer_version):
    a = r['args']
    title, _, description = ARCH_INFO[arch]
    size = os.path.getsize(os.path.join(out, 'fusion.onnx'))
    lines = [
        f'# {pack_id}: {title}', '',
        description, '',
        f'Code: `training/models/{arch.replace("-", "_")}.py` inside `training/models/pack_model.py` ([Note: seed pack model]).',
        f'{r["parameters"]:,} parameters; fusion.onnx {size / 1e6:.1f} MB (opset 14, batch 1, dynamic lengths).', '',
        '## Inputs (what the runtime feeds)', '',
        *(text_input_lines(a, tokenizer_version)),
        f'- `audio_frames` float32 [1, frames, 57]: the acoustic recipe\'s raw frames (100/s). Inside the graph ([Note: '
        'seed active frames], `training/models/pack_model.py`): only frames within 30 dB of the utterance\'s loudest '
        'count; log-mel and MFCC minus their mean over those frames, log energy minus the loudest frame\'s, f0 as '
        'log(f0 / the utterance\'s mean voiced f0); then every '
        f'{a["audio_pool"]} frames are averaged (10 per second). What a studio, a gain or the silence around a voice '
        'adds is gone before the architecture sees it.',
        '- `visual_frames` float32 [1, frames, 9]: per sampled frame (5 fps; one per image) face, 7 expression '
        'probabilities, face score; zeros without a face. Inside the graph ([Note: seed expression frames]): face x '
        '(the six non-neutral expression probabilities, and happy minus angry, disgust, fear, sad), scaled but not '
        'centred, so a neutral face reads exactly like no face.',
        '- `presence` float32 [1, 3]: an absent modality is fed as one zero frame (token id 0) with presence 0, and '
        'its content cannot change any output (checked by `training/smoke.py` for every architecture).', '',
        '## Vocabulary', '',
        *vocabulary_lines(r.get('vocabulary'), a), '',
        '## Training data (train splits only; ../shared/heldout never read)', '',
        '| dataset | rows | what was used |', '|---|---|---|',
    ]
    for n, rows in r['train_rows'].items():
        lines.append(f'| {DATASET_INFO[n][0]} | {rows} | {USED[n]} |')
    lines += [
        '', f'Batches sample datasets with weights {json.dumps(r["dataset_weights"])}; word dropout {a["word_dropout"]}, '
        f'modality dropout {a["modality_dropout"]} on multi-modal rows. {a["steps"]} steps of batch {a["batch"]} '
        f'(AdamW, one-cycle lr {a["lr"]}), d_model {a["d_model"]}, 1 CPU thread, {r["training"]["seconds"]:.0f} s.',
        'MOSI media are not available here, so MOSI is text only; the only audio is acted speech (EmoDB, German; RAVDESS, '
        'English) and the only images are MVSA tweets\' pictures (no video).', '',
        '## Dev metrics (no test data)', '',
        *metric_lines(r['metrics']), '',
        '- mosi-dev: MMSA conventions (text only); ece_non0: expected calibration error (10 bins) of the two-way '
        'decision p(positive) vs p(negative) on the non-zero rows. mvsa-dev: text + image; mvsa-dev-text-only masks the '
        'image; mvsa-dev-image-only-faces: the 219 dev posts with a face, image only (largest predicted class, mean score '
        'of positive minus negative posts). ravdess-dev: RAVDESS actors 17-20, audio, 3-class valence (surprise left '
        'out). ece: calibration error of the 3-class probabilities.',
        '- out-of-range-dev ([Note: seed out-of-range], output `ood`, the `ood_*` columns of `predict`): the share of '
        'each dev set\'s rows flagged per modality. A modality is flagged when the mean squared standardized distance of '
        'its mean input frame from the training rows is above their 99th percentile (text also when more of its tokens '
        'are unknown than in 99 % of the training rows, at least half). Flags only: they change no score.',
        '- calibration ([Note: seed temperature]): one temperature on the class logits, fitted on MOSI dev (3-class view '
        'of the score), MVSA dev and RAVDESS dev (negative log-likelihood), inside the graph; every ECE above is after it, '
        'the `*_ece_uncalibrated` values before it. The score is not changed by it.',
        f'- emodb-speaker-cv: {a["cv_folds"]} folds of whole speakers (speakers sorted, dealt round-robin), the same '
        f'architecture trained on the other folds\' EmoDB rows alone for {a["cv_steps"]} steps (audio only); 3-class '
        'valence accuracy and macro F1 over all held-out predictions. The pack itself saw all 8 speakers.', '',
    ]
    base_path = os.path.join(ablation_runs, arch, 'metrics.json')
    if arch in ABLATIONS and os.path.exists(base_path):
        base = load_json(base_path)
        b = base['args']
        cv = f'EmoDB CV {b["cv_folds"]} folds x {b["cv_steps"]} steps' if b['cv_folds'] > 1 else 'no EmoDB CV'
        lines += [f'## Ablations (runs of {b["steps"]} steps, seed {b["seed"]}, {cv}; same data; `training/run_tables.py`; '
                  'the table with two seeds is in training/README.md)', '',
                  '| variant | MOSI Acc-2 non0 | MAE | Corr | MVSA acc | MVSA wF1 | EmoDB CV acc / macro F1 |',
                  '|---|---|---|---|---|---|---|', f'| full | {summary(base["metrics"])} |']
        for name, label in ABLATIONS[arch]:
            path = os.path.join(ablation_runs, name, 'metrics.json')
            if os.path.exists(path):
                lines.append(f'| {label} | {summary(load_json(path)["metrics"])} |')
            else:
                lines.append(f'| {label} | not run | | | | | |')
        lines.append('')
    elif arch in ABLATIONS:
        # Ablation runs are kept only where they were made: an export elsewhere points to their table.
        lines += ['## Ablations', '', 'Not rerun for this export: the ablation table with two seeds, and the inputs it was '
                  'measured on, is in training/README.md (Seed architectures).', '']
    lines += [
        '## Known limits', '',
        f'- Short-budget run ({a["steps"]} steps on a shared 2-core CPU): the numbers compare architectures at equal, '
        'small budget; they are not the papers\' numbers and not tuned (no search on dev).',
        *([f'- Text: the frozen English token encoder of {text_encoder_release(r)} (trained on MOSI, SST-2, MELD, MVSA and the '
           'Chinese reviews; GloVe 6B below it). English only: Chinese text gives "text absent" with this pack (the '
           'default pack reads it). The architecture above it trains here, for few steps.'] if a.get('text_side') == 'pack'
          else ['- Text: frozen GloVe vectors (2014, Wikipedia + Gigaword; English only); the encoder above them is trained '
                'here on small data.']),
        '- Voice: acted speech only (EmoDB, German, one studio; RAVDESS, English, 16 actors): a real conversation is '
        'unlike both. Faces: there is no labelled face video here; MVSA\'s post labels say little about the face in '
        'the picture, so the visual side learns little (see mvsa-dev-image-only-faces).',
        '- Scores from audio or visual alone are proxy-scale valence guesses (negative -1.5, neutral 0, positive +1.5), '
        'not MOSI-calibrated intensities.',
        '- Long segments: the attention models are quadratic in frames (10 audio frames per second after pooling).',
        *(['- CM-STA\'s learned positions cover 4,096 frames per modality (about 7 minutes of audio after pooling); '
           'longer segments fail at run time: split them.'] if arch == 'cmsta' else []), '',
        '## Reproduce', '', '```',
        'npx sentiscope features --in training/data/emodb/input.csv --out training/data/emodb/features --base ../shared/data --sequences',
        'npx sentiscope features --in training/data/mvsa/input.csv --out training/data/mvsa/features --base ../shared/data --sequences',
        'npx sentiscope features --in training/data/ravdess/input.csv --out training/data/ravdess/features --base ../shared/data --sequences',
        '# the text encoder: training/runs/late-fusion-v1.pt, written by training/late_fusion.py (training/README.md)',
        r_command(arch, a, os.path.dirname(out_run(r))), '```', '',
        '## License', '',
        ('Non-commercial research use only: derived from CMU-MOSI, SST-2, MELD (GPL-3.0 repository), MVSA and EmoDB, each '
         'research-use, and RAVDESS (CC BY-NC-SA 4.0: non-commercial, share-alike; models trained on it inherit that; '
         'see ../shared/data/README.md). ' if 'ravdess' in r['train_rows'] else
         'Research use only: derived from CMU-MOSI, SST-2, MELD (GPL-3.0 repository), MVSA and EmoDB, each research-use '
         '(see ../shared/data/README.md). ') +
        'Word vectors: GloVe 6B (PDDL 1.0, Pennington, Socher & Manning 2014). Visual '
        'features come from BlazeFace (Apache-2.0) and mini-Xception (MIT).', '',
    ]
    with open(os.path.join(out, 'MODEL_CARD.md'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(lines))


def text_input_lines(a, tokenizer_version):
    if a.get('text_side') == 'pack':
        return [f'- `text_ids` int64 [1, tokens]: tokenizer v{tokenizer_version} ids from `vocab.txt` (late-fusion-v1\'s '
                f'vocabulary: id = 2 + line, pad 0, unknown 1), at most {a["max_tokens"]} tokens; English only (manifest '
                '`languages: ["en"]`). Inside the graph ([Note: seed text from the default pack], '
                '`training/models/pack_text.py`): the frozen English token encoder of late-fusion-v1 (GloVe 6B 100-d or '
                'its trained vectors -> tanh projection to 128 -> convolutions of width 1, 2, 3 with 64 channels, GELU): '
                '192 features per token, none of them trained here; the architecture projects them to d_model '
                f'{a["d_model"]}. Id 0 is masked.']
    return [f'- `text_ids` int64 [1, tokens]: tokenizer v{tokenizer_version} ids from `vocab.txt` (id = 2 + line, pad 0, unknown 1), at most '
            f'{a["max_tokens"]} tokens; English only (manifest `languages: ["en"]`). Inside the graph: a GloVe word reads its '
            'frozen GloVe 6B 100-d vector (fp16, scaled by 1/4), every other token a trained 100-d vector; each is weighted '
            'by a trained per-token weight, then a trained projection plus a width-3 context convolution to '
            f'd_model {a["d_model"]} ([Note: seed text embedding], `training/models/glove_text.py`); id 0 is masked.']


def vocabulary_lines(v, a):
    if not v:
        return ['- (not recorded by this run)']
    if 'glove' not in v:
        return [f'- {v["size"]:,} tokens, the vocabulary of late-fusion-v1 (`{v["from"]}`: CJK characters, trained tokens '
                'GloVe lacks, then GloVe words); the pack ships the same `vocab.txt`.',
                f'- Coverage of this run\'s training token occurrences: {100 * v["coverage"]["vocabulary"]:.1f} % have an id '
                '(the rest read as unknown).']
    return [f'- {v["size"]:,} tokens: {v["glove"]:,} GloVe words ({v["glove_from_training"]:,} seen in the training text, '
            f'{v["glove"] - v["glove_from_training"]:,} more of the most frequent GloVe words) and {v["learned"]:,} trained '
            f'tokens GloVe lacks (seen at least {a["min_count"]} times: "didnt", "youre", emoticons, emoji).',
            f'- Coverage of the training token occurrences: {100 * v["coverage"]["glove"]:.1f} % have a GloVe vector, '
            f'{100 * v["coverage"]["vocabulary"]:.1f} % have an id (the rest read as unknown).']


def out_run(r):
    return r['args']['out']


def r_command(arch, a, runs):
    rel = os.path.relpath(os.path.abspath(runs), REPO)
    return (f'/usr/bin/python3 training/train_seed.py --arch {arch} --steps {a["steps"]} --cv-steps {a["cv_steps"]} '
            f'--out {rel}/{arch}\n/usr/bin/python3 training/seed_pack.py --runs {rel} --arch {arch}')
