#!/usr/bin/python3
"""Tiny random-weight pretrained-encoder folders, laid out the way @huggingface/transformers
(transformers.js) loads them, plus reference outputs computed here in PyTorch.

Run with Debian's python3 (torch, onnx, numpy; the Python `transformers` library is not
needed and not used): every model is written by hand with the real architecture's layers
and the exact ONNX input/output names of the Optimum exports transformers.js expects.

    /usr/bin/python3 scripts/tiny-models/make_tiny_encoders.py --out DIR

DIR/
  bert-feature/      HF layout (onnx/model.onnx): BertModel, input_ids + attention_mask +
                     token_type_ids -> last_hidden_state; tokenizer.json (WordPiece).
  bert-classifier/   files at the top level (model.onnx): BertForSequenceClassification,
                     -> logits; config.json id2label.
  wav2vec2/          onnx/model.onnx: Wav2Vec2Model, input_values -> last_hidden_state;
                     preprocessor_config.json (Wav2Vec2FeatureExtractor, do_normalize).
  clip/              onnx/vision_model.onnx: CLIPVisionModelWithProjection, pixel_values ->
                     image_embeds (+ last_hidden_state); preprocessor_config.json
                     (CLIPImageProcessor); onnx/text_model.onnx: CLIPTextModelWithProjection,
                     input_ids + attention_mask -> text_embeds (+ last_hidden_state).
  wav2vec2-input.f32 the fixed audio the wav2vec2 reference was computed on (16 kHz mono).
  clip-input.rgb     the fixed 32x32 RGB image the CLIP reference was computed on.
  references.json    token ids, pooled embeddings, logits/probabilities, image_embeds.

Seeded and deterministic: the same command writes the same weights and references.
"""

import argparse
import json
import math
import os
import re

import numpy as np
import torch
from torch import nn

OPSET = 14
SEED = 20240606

# ---------------------------------------------------------------------------- tokenizer

SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]']
WORDS = [
    '!', ',', '.', '?', "'", 'i', 'a', 'the', 'it', 'this', 'that', 'was', 'is', 'not', 'very',
    'really', 'movie', 'film', 'love', 'hate', 'good', 'bad', 'great', 'sad', 'happy', 'play',
    'act', 'slow', 'fun', 'and', 'but', 'so', 'we', 'you',
    '##s', '##ing', '##ed', '##ly', '##er', '##y',
]
VOCAB = SPECIAL + WORDS
TOKEN_ID = {t: i for i, t in enumerate(VOCAB)}

TEXTS = [
    'I love this movie!',
    'The acting was really BAD, zebra.',
    'playing slowly',
]


def basic_tokens(text):
    """BertNormalizer(lowercase, clean) + BertPreTokenizer: whitespace and punctuation splits."""
    text = text.lower()
    return re.findall(r"[a-z0-9]+|[^\sa-z0-9]", text)


def wordpiece(word):
    """Greedy longest-match-first; a word with an unmatched piece is [UNK] as a whole."""
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = word[start:end] if start == 0 else '##' + word[start:end]
            if piece in TOKEN_ID:
                found = piece
                break
            end -= 1
        if found is None:
            return ['[UNK]']
        pieces.append(found)
        start = end
    return pieces


def encode(text):
    tokens = ['[CLS]'] + [p for w in basic_tokens(text) for p in wordpiece(w)] + ['[SEP]']
    return [TOKEN_ID[t] for t in tokens]


def tokenizer_json():
    """A tokenizers-library tokenizer.json for a lowercase WordPiece BERT tokenizer."""
    return {
        'version': '1.0',
        'truncation': None,
        'padding': None,
        'added_tokens': [
            {'id': TOKEN_ID[t], 'content': t, 'single_word': False, 'lstrip': False, 'rstrip': False,
             'normalized': False, 'special': True}
            for t in SPECIAL
        ],
        'normalizer': {'type': 'BertNormalizer', 'clean_text': True, 'handle_chinese_chars': True,
                       'strip_accents': None, 'lowercase': True},
        'pre_tokenizer': {'type': 'BertPreTokenizer'},
        'post_processor': {
            'type': 'TemplateProcessing',
            'single': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                       {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}],
            'pair': [{'SpecialToken': {'id': '[CLS]', 'type_id': 0}}, {'Sequence': {'id': 'A', 'type_id': 0}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 0}}, {'Sequence': {'id': 'B', 'type_id': 1}},
                     {'SpecialToken': {'id': '[SEP]', 'type_id': 1}}],
            'special_tokens': {t: {'id': t, 'ids': [TOKEN_ID[t]], 'tokens': [t]} for t in ['[CLS]', '[SEP]']},
        },
        'decoder': {'type': 'WordPiece', 'prefix': '##', 'cleanup': True},
        'model': {'type': 'WordPiece', 'unk_token': '[UNK]', 'continuing_subword_prefix': '##',
                  'max_input_chars_per_word': 100, 'vocab': TOKEN_ID},
    }


def tokenizer_config_json():
    return {
        'tokenizer_class': 'BertTokenizer', 'do_lower_case': True, 'model_max_length': 64,
        'pad_token': '[PAD]', 'unk_token': '[UNK]', 'cls_token': '[CLS]', 'sep_token': '[SEP]',
        'mask_token': '[MASK]', 'clean_up_tokenization_spaces': True,
    }

# ---------------------------------------------------------------------------- shared layers


class SelfAttention(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.query, self.key, self.value = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.out = nn.Linear(hidden, hidden)

    def forward(self, x, additive_mask=None):
        b, t, _ = x.shape

        def split(y):
            return y.view(b, t, self.heads, self.head_dim).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        if additive_mask is not None:
            scores = scores + additive_mask
        context = torch.matmul(scores.softmax(-1), v).transpose(1, 2).reshape(b, t, -1)
        return self.out(context)


def additive_attention_mask(mask):
    """(batch, seq) 1/0 -> (batch, 1, 1, seq) 0/-large, as BERT's get_extended_attention_mask."""
    return (1.0 - mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min


class PostNormLayer(nn.Module):
    """BERT / wav2vec2 (do_stable_layer_norm false) encoder layer: residual then LayerNorm."""

    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.attention = SelfAttention(hidden, heads)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate, self.output = nn.Linear(hidden, intermediate), nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x, additive_mask=None):
        x = self.attention_norm(x + self.attention(x, additive_mask))
        return self.output_norm(x + self.output(nn.functional.gelu(self.intermediate(x))))

# ---------------------------------------------------------------------------- BERT

BERT = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
            max_position_embeddings=64, type_vocab_size=2, layer_norm_eps=1e-12)


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c['hidden_size']
        self.word = nn.Embedding(len(VOCAB), h, padding_idx=0)
        self.position = nn.Embedding(c['max_position_embeddings'], h)
        self.token_type = nn.Embedding(c['type_vocab_size'], h)
        self.norm = nn.LayerNorm(h, eps=c['layer_norm_eps'])
        self.layers = nn.ModuleList(PostNormLayer(h, c['num_attention_heads'], c['intermediate_size'], c['layer_norm_eps'])
                                    for _ in range(c['num_hidden_layers']))

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)[None, :]
        x = self.norm(self.word(input_ids) + self.position(positions) + self.token_type(token_type_ids))
        mask = additive_attention_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, mask)
        return x


class BertFeature(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.bert = Bert(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.bert(input_ids, attention_mask, token_type_ids)


class BertClassifier(nn.Module):
    def __init__(self, c, labels):
        super().__init__()
        self.bert = Bert(c)
        self.pooler = nn.Linear(c['hidden_size'], c['hidden_size'])
        self.classifier = nn.Linear(c['hidden_size'], labels)

    def forward(self, input_ids, attention_mask, token_type_ids):
        hidden = self.bert(input_ids, attention_mask, token_type_ids)
        return self.classifier(torch.tanh(self.pooler(hidden[:, 0])))


def bert_config(architecture, extra=None):
    config = {'architectures': [architecture], 'model_type': 'bert', 'vocab_size': len(VOCAB),
              'hidden_act': 'gelu', 'pad_token_id': 0, **BERT}
    config.update(extra or {})
    return config


def padded_batch(texts):
    ids = [encode(t) for t in texts]
    width = max(len(i) for i in ids)
    input_ids = torch.tensor([i + [0] * (width - len(i)) for i in ids], dtype=torch.int64)
    mask = torch.tensor([[1] * len(i) + [0] * (width - len(i)) for i in ids], dtype=torch.int64)
    return ids, input_ids, mask

# ---------------------------------------------------------------------------- wav2vec2

W2V = dict(conv_dim=[16, 16, 16], conv_kernel=[10, 3, 3], conv_stride=[5, 2, 2], hidden_size=32,
           num_hidden_layers=2, num_attention_heads=4, intermediate_size=64, num_conv_pos_embeddings=16,
           num_conv_pos_embedding_groups=4, layer_norm_eps=1e-5)


class Wav2Vec2(nn.Module):
    """Feature encoder (group norm on the first conv), feature projection, conv positions, encoder."""

    def __init__(self, c):
        super().__init__()
        convs, channels = [], 1
        for dim, kernel, stride in zip(c['conv_dim'], c['conv_kernel'], c['conv_stride']):
            convs.append(nn.Conv1d(channels, dim, kernel, stride=stride, bias=False))
            channels = dim
        self.convs = nn.ModuleList(convs)
        self.first_norm = nn.GroupNorm(c['conv_dim'][0], c['conv_dim'][0], affine=True)
        h = c['hidden_size']
        self.projection_norm = nn.LayerNorm(channels, eps=c['layer_norm_eps'])
        self.projection = nn.Linear(channels, h)
        k = c['num_conv_pos_embeddings']
        self.pos_conv = nn.Conv1d(h, h, k, padding=k // 2, groups=c['num_conv_pos_embedding_groups'])
        self.trim = 1 if k % 2 == 0 else 0  # Wav2Vec2SamePadLayer
        self.encoder_norm = nn.LayerNorm(h, eps=c['layer_norm_eps'])
        self.layers = nn.ModuleList(PostNormLayer(h, c['num_attention_heads'], c['intermediate_size'], c['layer_norm_eps'])
                                    for _ in range(c['num_hidden_layers']))

    def forward(self, input_values):
        x = input_values[:, None, :]
        for i, conv in enumerate(self.convs):
            x = conv(x)
            if i == 0:
                x = self.first_norm(x)
            x = nn.functional.gelu(x)
        x = self.projection(self.projection_norm(x.transpose(1, 2)))
        pos = self.pos_conv(x.transpose(1, 2))
        if self.trim:
            pos = pos[:, :, :-self.trim]
        x = self.encoder_norm(x + nn.functional.gelu(pos).transpose(1, 2))
        for layer in self.layers:
            x = layer(x)
        return x


def reference_audio():
    """0.75 s at 16 kHz: two tones, a glide and seeded noise (not already normalized)."""
    rng = np.random.default_rng(SEED)
    t = np.arange(12000) / 16000.0
    wave = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.1 * np.sin(2 * np.pi * (300 + 400 * t) * t) + 0.02 * rng.standard_normal(t.size) + 0.05
    return wave.astype(np.float32)

# ---------------------------------------------------------------------------- CLIP vision

CLIP_VISION = dict(hidden_size=32, image_size=32, patch_size=8, num_hidden_layers=2, num_attention_heads=4,
                   intermediate_size=64, hidden_act='quick_gelu', layer_norm_eps=1e-5, num_channels=3)
CLIP_PROJECTION = 16
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


class PreNormLayer(nn.Module):
    """CLIP encoder layer: LayerNorm, attention, residual; LayerNorm, MLP (quick_gelu), residual."""

    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.norm1, self.attention = nn.LayerNorm(hidden, eps=eps), SelfAttention(hidden, heads)
        self.norm2 = nn.LayerNorm(hidden, eps=eps)
        self.fc1, self.fc2 = nn.Linear(hidden, intermediate), nn.Linear(intermediate, hidden)

    def forward(self, x, additive_mask=None):
        x = x + self.attention(self.norm1(x), additive_mask)
        y = self.fc1(self.norm2(x))
        return x + self.fc2(y * torch.sigmoid(1.702 * y))


class ClipVision(nn.Module):
    def __init__(self, c, projection):
        super().__init__()
        h = c['hidden_size']
        self.patch = nn.Conv2d(c['num_channels'], h, c['patch_size'], stride=c['patch_size'], bias=False)
        self.class_embedding = nn.Parameter(torch.randn(h))
        self.position = nn.Parameter(torch.randn((c['image_size'] // c['patch_size']) ** 2 + 1, h) * 0.1)
        self.pre_norm = nn.LayerNorm(h, eps=c['layer_norm_eps'])
        self.layers = nn.ModuleList(PreNormLayer(h, c['num_attention_heads'], c['intermediate_size'], c['layer_norm_eps'])
                                    for _ in range(c['num_hidden_layers']))
        self.post_norm = nn.LayerNorm(h, eps=c['layer_norm_eps'])
        self.projection = nn.Linear(h, projection, bias=False)

    def forward(self, pixel_values):
        patches = self.patch(pixel_values).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(patches.shape[0], 1, -1)
        x = self.pre_norm(torch.cat([cls, patches], dim=1) + self.position[None])
        for layer in self.layers:
            x = layer(x)
        return self.projection(self.post_norm(x[:, 0])), x


CLIP_TEXT = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                 max_position_embeddings=32, hidden_act='quick_gelu', layer_norm_eps=1e-5, eos_token_id=TOKEN_ID['[SEP]'])


class ClipText(nn.Module):
    """CLIP text tower: causal + padding mask, pooled at the first end token, projected."""

    def __init__(self, c, projection):
        super().__init__()
        h = c['hidden_size']
        self.token = nn.Embedding(len(VOCAB), h)
        self.position = nn.Embedding(c['max_position_embeddings'], h)
        self.layers = nn.ModuleList(PreNormLayer(h, c['num_attention_heads'], c['intermediate_size'], c['layer_norm_eps'])
                                    for _ in range(c['num_hidden_layers']))
        self.final_norm = nn.LayerNorm(h, eps=c['layer_norm_eps'])
        self.projection = nn.Linear(h, projection, bias=False)
        self.eos = c['eos_token_id']

    def forward(self, input_ids, attention_mask):
        t = input_ids.shape[1]
        positions = torch.arange(t, device=input_ids.device)[None, :]
        x = self.token(input_ids) + self.position(positions)
        causal = torch.triu(torch.full((t, t), torch.finfo(torch.float32).min), diagonal=1)[None, None]
        mask = causal + additive_attention_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, mask)
        x = self.final_norm(x)
        first_eos = (input_ids == self.eos).to(torch.int64).argmax(-1)
        pooled = x.gather(1, first_eos[:, None, None].expand(-1, 1, x.shape[-1]))[:, 0]
        return self.projection(pooled), x


def reference_image():
    """32x32 RGB uint8: gradients plus seeded noise, so channel order and layout matter."""
    rng = np.random.default_rng(SEED + 1)
    y, x = np.mgrid[0:32, 0:32]
    rgb = np.stack([x * 8, y * 8, (x + y) * 4], axis=-1) + rng.integers(0, 40, size=(32, 32, 3))
    return np.clip(rgb, 0, 255).astype(np.uint8)


def clip_pixel_values(rgb):
    """CLIPImageProcessor on an image already at crop size: rescale 1/255, normalize, HWC->CHW."""
    x = rgb.astype(np.float32) * np.float32(1 / 255)
    x = (x - np.array(CLIP_MEAN, dtype=np.float32)) / np.array(CLIP_STD, dtype=np.float32)
    return torch.from_numpy(x.transpose(2, 0, 1)[None].astype(np.float32).copy())

# ---------------------------------------------------------------------------- writing


def write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, indent=1)


def export(model, args, path, inputs, outputs, dynamic):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.eval()
    torch.onnx.export(model, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                      opset_version=OPSET, do_constant_folding=True)


def rows(t):
    return t.detach().to(torch.float64).tolist()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--out', required=True)
    out = parser.parse_args().out
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    references = {'tolerance': 1e-4}
    text_axes = {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
                 'attention_mask': {0: 'batch_size', 1: 'sequence_length'},
                 'token_type_ids': {0: 'batch_size', 1: 'sequence_length'}}
    ids, input_ids, mask = padded_batch(TEXTS)
    token_types = torch.zeros_like(input_ids)

    # BERT feature extraction, HF layout (onnx/model.onnx).
    folder = os.path.join(out, 'bert-feature')
    feature = BertFeature(BERT).eval()
    export(feature, (input_ids, mask, token_types), os.path.join(folder, 'onnx', 'model.onnx'),
           ['input_ids', 'attention_mask', 'token_type_ids'], ['last_hidden_state'],
           {**text_axes, 'last_hidden_state': {0: 'batch_size', 1: 'sequence_length'}})
    write_json(os.path.join(folder, 'config.json'), bert_config('BertModel'))
    write_json(os.path.join(folder, 'tokenizer.json'), tokenizer_json())
    write_json(os.path.join(folder, 'tokenizer_config.json'), tokenizer_config_json())
    with torch.no_grad():
        hidden = feature(input_ids, mask, token_types)
        weights = mask[:, :, None].to(torch.float32)
        mean = (hidden * weights).sum(1) / weights.sum(1)
        single = [feature(torch.tensor([i]), torch.ones(1, len(i), dtype=torch.int64), torch.zeros(1, len(i), dtype=torch.int64))
                  for i in ids]
    references['bert_feature'] = {
        'texts': TEXTS, 'input_ids': ids, 'dims': BERT['hidden_size'],
        'mean': rows(mean), 'cls': rows(hidden[:, 0]),
        # Each text alone (no padding): what a batch must agree with.
        'mean_single': [rows(s[0].mean(0)) for s in single],
    }

    # BERT text classification, files at the folder's top level (model.onnx).
    folder = os.path.join(out, 'bert-classifier')
    labels = ['negative', 'neutral', 'positive']
    classifier = BertClassifier(BERT, len(labels)).eval()
    export(classifier, (input_ids, mask, token_types), os.path.join(folder, 'model.onnx'),
           ['input_ids', 'attention_mask', 'token_type_ids'], ['logits'], {**text_axes, 'logits': {0: 'batch_size'}})
    write_json(os.path.join(folder, 'config.json'), bert_config('BertForSequenceClassification', {
        'id2label': {str(i): l for i, l in enumerate(labels)}, 'label2id': {l: i for i, l in enumerate(labels)},
        'problem_type': 'single_label_classification'}))
    write_json(os.path.join(folder, 'tokenizer.json'), tokenizer_json())
    write_json(os.path.join(folder, 'tokenizer_config.json'), tokenizer_config_json())
    with torch.no_grad():
        logits = classifier(input_ids, mask, token_types)
    references['bert_classifier'] = {'texts': TEXTS, 'labels': labels, 'logits': rows(logits),
                                     'probabilities': rows(logits.softmax(-1))}

    # wav2vec2, HF layout.
    folder = os.path.join(out, 'wav2vec2')
    w2v = Wav2Vec2(W2V).eval()
    audio = reference_audio()
    audio.tofile(os.path.join(out, 'wav2vec2-input.f32'))
    normalized = (audio.astype(np.float64) - audio.mean(dtype=np.float64)) / np.sqrt(audio.astype(np.float64).var() + 1e-7)
    input_values = torch.from_numpy(normalized.astype(np.float32))[None]
    export(w2v, (input_values,), os.path.join(folder, 'onnx', 'model.onnx'), ['input_values'], ['last_hidden_state'],
           {'input_values': {0: 'batch_size', 1: 'sequence_length'}, 'last_hidden_state': {0: 'batch_size', 1: 'sequence_length'}})
    write_json(os.path.join(folder, 'config.json'), {
        'architectures': ['Wav2Vec2Model'], 'model_type': 'wav2vec2', 'feat_extract_norm': 'group',
        'feat_extract_activation': 'gelu', 'hidden_act': 'gelu', 'do_stable_layer_norm': False, **W2V})
    write_json(os.path.join(folder, 'preprocessor_config.json'), {
        'feature_extractor_type': 'Wav2Vec2FeatureExtractor', 'feature_size': 1, 'sampling_rate': 16000,
        'padding_side': 'right', 'padding_value': 0.0, 'do_normalize': True, 'return_attention_mask': False})
    with torch.no_grad():
        frames = w2v(input_values)
    references['wav2vec2'] = {'input': 'wav2vec2-input.f32', 'samples': int(audio.size), 'dims': W2V['hidden_size'],
                              'frames': int(frames.shape[1]), 'mean': rows(frames[0].mean(0))}

    # CLIP vision with projection, HF layout (onnx/vision_model.onnx).
    folder = os.path.join(out, 'clip')
    vision = ClipVision(CLIP_VISION, CLIP_PROJECTION).eval()
    rgb = reference_image()
    rgb.tofile(os.path.join(out, 'clip-input.rgb'))
    pixel_values = clip_pixel_values(rgb)
    export(vision, (pixel_values,), os.path.join(folder, 'onnx', 'vision_model.onnx'), ['pixel_values'],
           ['image_embeds', 'last_hidden_state'], {'pixel_values': {0: 'batch_size'}, 'image_embeds': {0: 'batch_size'},
                                                   'last_hidden_state': {0: 'batch_size'}})
    write_json(os.path.join(folder, 'config.json'), {
        'architectures': ['CLIPModel'], 'model_type': 'clip', 'projection_dim': CLIP_PROJECTION,
        'vision_config': {'model_type': 'clip_vision_model', 'projection_dim': CLIP_PROJECTION, **CLIP_VISION},
        'text_config': {'model_type': 'clip_text_model', 'projection_dim': CLIP_PROJECTION, **CLIP_TEXT}})
    write_json(os.path.join(folder, 'preprocessor_config.json'), {
        'image_processor_type': 'CLIPImageProcessor', 'feature_extractor_type': 'CLIPFeatureExtractor',
        'do_resize': True, 'size': {'shortest_edge': 32}, 'resample': 3, 'do_center_crop': True,
        'crop_size': {'height': 32, 'width': 32}, 'do_rescale': True, 'rescale_factor': 1 / 255,
        'do_normalize': True, 'image_mean': CLIP_MEAN, 'image_std': CLIP_STD, 'do_convert_rgb': True})
    with torch.no_grad():
        image_embeds, _ = vision(pixel_values)
    references['clip_vision'] = {'input': 'clip-input.rgb', 'width': 32, 'height': 32, 'dims': CLIP_PROJECTION,
                                 'image_embeds': rows(image_embeds[0])}

    # CLIP text tower beside it (text_model.onnx), with the WordPiece tokenizer: the graph
    # pools at its own end token, so any tokenizer that emits [SEP] works for the test.
    text_tower = ClipText(CLIP_TEXT, CLIP_PROJECTION).eval()
    export(text_tower, (input_ids, mask), os.path.join(folder, 'onnx', 'text_model.onnx'), ['input_ids', 'attention_mask'],
           ['text_embeds', 'last_hidden_state'], {'input_ids': {0: 'batch_size', 1: 'sequence_length'},
                                                  'attention_mask': {0: 'batch_size', 1: 'sequence_length'},
                                                  'text_embeds': {0: 'batch_size'},
                                                  'last_hidden_state': {0: 'batch_size', 1: 'sequence_length'}})
    write_json(os.path.join(folder, 'tokenizer.json'), tokenizer_json())
    write_json(os.path.join(folder, 'tokenizer_config.json'), tokenizer_config_json())
    with torch.no_grad():
        text_embeds = [text_tower(torch.tensor([i]), torch.ones(1, len(i), dtype=torch.int64))[0][0] for i in ids]
    references['clip_text'] = {'texts': TEXTS, 'dims': CLIP_PROJECTION, 'text_embeds': [rows(e) for e in text_embeds]}

    write_json(os.path.join(out, 'references.json'), references)
    print(f'wrote bert-feature, bert-classifier, wav2vec2, clip and references.json to {out}')


if __name__ == '__main__':
    main()
