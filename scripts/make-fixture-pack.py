#!/usr/bin/python3
"""Builds tests/fixtures/packs/tiny-late-fusion: a tiny late-fusion model pack for tests.

The weights are hand-shaped and drawn from a seeded numpy generator (deterministic); the
model has learned nothing. It takes exactly the tensor kinds a real late-fusion pack takes
(text.token_ids, text.lexicon, audio.statistics, visual.statistics, presence) so the
runtime, contributions and `sentiscope predict` are exercised end to end on real features.

The recipes and column names are read from the TypeScript sources (through node + tsx), so
the manifest always states what this build computes. Run from the repository root:

    /usr/bin/python3 scripts/make-fixture-pack.py [OUT_DIR]

Needs Debian's python3-onnx and python3-numpy (not a virtualenv's python3).
"""

import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'tests', 'fixtures', 'packs', 'tiny-late-fusion')
SEED = 20250607
MAX_TOKENS = 32
EMBED = 8
HIDDEN = 4

# A small vocabulary: sentiment words (with a valence on embedding axis 0) and function words.
POSITIVE = ['good', 'great', 'love', 'enjoyed', 'funny', 'interesting', 'ambitious', 'happy', 'best', 'nice',
            'entertained', 'like', 'fun', 'beautiful', 'awesome']
NEGATIVE = ['bad', 'worst', 'boring', 'stupid', 'failure', 'failer', 'hate', 'slog', 'uninteresting', 'sad',
            'terrible', 'awful', 'evil', 'attack', 'not']
NEUTRAL = ['the', 'a', 'and', 'it', 'is', 'was', 'i', 'but', 'um', 'really', 'movie', 'film', 'just', 'this',
           'that', 'of', 'to', 'in', 'weird', 'idiosyncratic', 'sucker', 'punch']


def ts_constants():
    """Recipes and column names as this build defines them."""
    script = (
        "import { DEFAULT_ACOUSTIC_RECIPE } from './src/core/analysis/acoustic/index.ts';"
        "import { DEFAULT_VISUAL_RECIPE } from './src/core/analysis/face/index.ts';"
        "import { DEFAULT_TEXT_RECIPE, LEXICON_FEATURE_NAMES } from './src/core/analysis/text/index.ts';"
        "import { AUDIO_STATISTICS_NAMES, VISUAL_STATISTICS_NAMES } from './src/core/analysis/features/segment-features.ts';"
        "process.stdout.write(JSON.stringify({ text: DEFAULT_TEXT_RECIPE, acoustic: DEFAULT_ACOUSTIC_RECIPE,"
        " visual: DEFAULT_VISUAL_RECIPE, lexicon: LEXICON_FEATURE_NAMES, audio: AUDIO_STATISTICS_NAMES,"
        " visualColumns: VISUAL_STATISTICS_NAMES }));"
    )
    out = subprocess.run(['node', '--import', 'tsx', '--input-type=module', '-e', script],
                         cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def const(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


def build_model(n_vocab, n_lexicon, n_audio, n_visual, rng):
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    embedding = f32(rng.normal(0, 0.3, (n_vocab + 2, EMBED)))
    embedding[0] = 0  # padding
    embedding[1] = 0  # unknown
    for i, word in enumerate(VOCAB):
        embedding[i + 2, 0] = 1.0 if word in POSITIVE else -1.0 if word in NEGATIVE else 0.0

    w_text = f32(rng.normal(0, 0.4, (EMBED + n_lexicon, HIDDEN)))
    w_text[0, :] = [1.2, 0.8, -0.3, 0.5]  # embedding valence drives the text hidden units
    w_audio = f32(rng.normal(0, 0.15, (n_audio, HIDDEN)))
    w_visual = f32(rng.normal(0, 0.6, (n_visual, HIDDEN)))
    inits = [
        const('embedding', embedding),
        const('w_text', w_text), const('b_text', f32(rng.normal(0, 0.1, HIDDEN))),
        const('w_audio', w_audio), const('b_audio', f32(rng.normal(0, 0.1, HIDDEN))),
        const('w_visual', w_visual), const('b_visual', f32(rng.normal(0, 0.1, HIDDEN))),
        const('w_score', f32(rng.normal(0, 0.7, (3 * HIDDEN, 1)))), const('b_score', f32([0.05])),
        const('w_logits', f32(rng.normal(0, 0.7, (3 * HIDDEN, 3)))), const('b_logits', f32([0.0, 0.2, 0.0])),
        const('w_gates', f32(rng.normal(0, 0.5, (3 * HIDDEN, 3)))),
        const('axis1', np.array([1], dtype=np.int64)),
        const('axis2', np.array([2], dtype=np.int64)),
        const('one', f32([1.0])), const('three', f32([3.0])),
        const('idx_text', np.array([0], dtype=np.int64)),
        const('idx_audio', np.array([1], dtype=np.int64)),
        const('idx_visual', np.array([2], dtype=np.int64)),
    ]
    n = helper.make_node
    nodes = [
        # Text: mean of the embeddings of real tokens (ids > 0), beside softsign(lexicon).
        n('Gather', ['embedding', 'token_ids'], ['emb']),
        n('Cast', ['token_ids'], ['ids_f'], to=TensorProto.FLOAT),
        n('Sign', ['ids_f'], ['mask']),
        n('Unsqueeze', ['mask', 'axis2'], ['mask3']),
        n('Mul', ['emb', 'mask3'], ['emb_masked']),
        n('ReduceSum', ['emb_masked', 'axis1'], ['emb_sum'], keepdims=0),
        n('ReduceSum', ['mask', 'axis1'], ['count'], keepdims=1),
        n('Max', ['count', 'one'], ['count1']),
        n('Div', ['emb_sum', 'count1'], ['emb_mean']),
    ]

    def softsign(src, dst):
        nodes.extend([n('Abs', [src], [dst + '_abs']), n('Add', [dst + '_abs', 'one'], [dst + '_den']),
                      n('Div', [src, dst + '_den'], [dst])])

    def branch(src, weight, bias, index, dst):
        nodes.extend([
            n('MatMul', [src, weight], [dst + '_mm']), n('Add', [dst + '_mm', bias], [dst + '_lin']),
            n('Tanh', [dst + '_lin'], [dst + '_act']),
            n('Gather', ['presence', index], [dst + '_p'], axis=1),
            n('Mul', [dst + '_act', dst + '_p'], [dst]),
        ])

    softsign('lexicon', 'lex_s')
    nodes.append(n('Concat', ['emb_mean', 'lex_s'], ['text_in'], axis=1))
    branch('text_in', 'w_text', 'b_text', 'idx_text', 'h_text')
    softsign('audio_statistics', 'audio_s')
    branch('audio_s', 'w_audio', 'b_audio', 'idx_audio', 'h_audio')
    softsign('visual_statistics', 'visual_s')
    branch('visual_s', 'w_visual', 'b_visual', 'idx_visual', 'h_visual')
    nodes.extend([
        n('Concat', ['h_text', 'h_audio', 'h_visual'], ['h'], axis=1),
        n('MatMul', ['h', 'w_score'], ['s_mm']), n('Add', ['s_mm', 'b_score'], ['s_lin']),
        n('Tanh', ['s_lin'], ['s_tanh']), n('Mul', ['s_tanh', 'three'], ['score']),
        n('MatMul', ['h', 'w_logits'], ['l_mm']), n('Add', ['l_mm', 'b_logits'], ['logits']),
        n('MatMul', ['h', 'w_gates'], ['g_mm']), n('Sigmoid', ['g_mm'], ['g_sig']),
        n('Mul', ['g_sig', 'presence'], ['gates']),
    ])
    inputs = [
        helper.make_tensor_value_info('token_ids', TensorProto.INT64, [1, MAX_TOKENS]),
        helper.make_tensor_value_info('lexicon', TensorProto.FLOAT, [1, n_lexicon]),
        helper.make_tensor_value_info('audio_statistics', TensorProto.FLOAT, [1, n_audio]),
        helper.make_tensor_value_info('visual_statistics', TensorProto.FLOAT, [1, n_visual]),
        helper.make_tensor_value_info('presence', TensorProto.FLOAT, [1, 3]),
    ]
    outputs = [
        helper.make_tensor_value_info('score', TensorProto.FLOAT, [1, 1]),
        helper.make_tensor_value_info('logits', TensorProto.FLOAT, [1, 3]),
        helper.make_tensor_value_info('gates', TensorProto.FLOAT, [1, 3]),
    ]
    graph = helper.make_graph(nodes, 'tiny_late_fusion', inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)], producer_name='sentiscope-fixture')
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


VOCAB = POSITIVE + NEGATIVE + NEUTRAL


def main():
    c = ts_constants()
    rng = np.random.default_rng(SEED)
    model = build_model(len(VOCAB), len(c['lexicon']), len(c['audio']), len(c['visualColumns']), rng)
    os.makedirs(OUT, exist_ok=True)
    onnx.save(model, os.path.join(OUT, 'fusion.onnx'))
    with open(os.path.join(OUT, 'vocab.txt'), 'w', encoding='utf-8') as f:
        f.write('\n'.join(VOCAB) + '\n')
    manifest = {
        'format': 'sentiscope-model-pack',
        'formatVersion': 1,
        'id': 'tiny-late-fusion',
        'version': '0.0.1',
        'name': 'Tiny late fusion (test fixture)',
        'architecture': 'late-fusion: per-modality tanh(Wx+b) gated by presence -> 3*tanh score, 3 logits',
        'description': 'Deterministic, untrained weights for runtime tests. Its predictions mean nothing.',
        'modalities': ['text', 'audio', 'visual'],
        'inputs': {
            'text': {'recipe': c['text'], 'vocabulary': 'vocab.txt', 'maxTokens': MAX_TOKENS},
            'audio': {'recipe': c['acoustic']},
            'visual': {'recipe': c['visual']},
        },
        'fusion': {
            'file': 'fusion.onnx',
            'inputs': [
                {'name': 'token_ids', 'dtype': 'int64', 'shape': [1, MAX_TOKENS], 'feature': 'text.token_ids'},
                {'name': 'lexicon', 'dtype': 'float32', 'shape': [1, len(c['lexicon'])], 'feature': 'text.lexicon',
                 'columns': c['lexicon']},
                {'name': 'audio_statistics', 'dtype': 'float32', 'shape': [1, len(c['audio'])],
                 'feature': 'audio.statistics', 'columns': c['audio']},
                {'name': 'visual_statistics', 'dtype': 'float32', 'shape': [1, len(c['visualColumns'])],
                 'feature': 'visual.statistics', 'columns': c['visualColumns']},
                {'name': 'presence', 'dtype': 'float32', 'shape': [1, 3], 'feature': 'presence',
                 'columns': ['text', 'audio', 'visual']},
            ],
            'outputs': {'score': 'score', 'logits': 'logits', 'gates': {'modality': 'gates'}},
        },
        'output': {'scoreRange': [-3, 3], 'classes': ['negative', 'neutral', 'positive']},
        'training': {'data': [], 'command': '/usr/bin/python3 scripts/make-fixture-pack.py'},
        'metrics': {},
        'license': 'MIT',
        'derivedFrom': [],
    }
    with open(os.path.join(OUT, 'manifest.json'), 'w', encoding='utf-8') as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write('\n')
    print(f'wrote {OUT} ({os.path.getsize(os.path.join(OUT, "fusion.onnx"))} bytes of ONNX)')


if __name__ == '__main__':
    main()
