"""Builds a tiny Whisper model folder, for tests of Sentiscope's speech recognition.

  /usr/bin/python3 scripts/tiny-models/make_tiny_whisper.py OUT [--ffmpeg PATH] [--steps 150] [--max-steps 1000]
                   [--onnx-subfolder]

The folder has the layout Hugging Face's ONNX exports of Whisper have, which
@huggingface/transformers reads: encoder_model.onnx, decoder_model_merged.onnx (past key/values
inputs, use_cache_branch, present.* outputs and cross_attentions.* for word timestamps),
config.json, generation_config.json (languages, tasks, alignment heads), preprocessor_config.json
(log-mel recipe, with the mel filters written out), tokenizer.json (byte-level BPE) and
tokenizer_config.json. With --onnx-subfolder the two ONNX files go to OUT/onnx/ as on the Hub.

The model is Whisper's architecture at toy size (d_model 64, 2+2 layers, 10 s windows, vocabulary
of a few hundred BPE tokens + specials + 1501 timestamps). No transformers library exists on these
machines, so it is written here in torch. Its weights are fitted for a few hundred steps to two real
clips (../shared/data/mosi/media: 03bSnISJMiM_1.wav and Oz06ZWiO20M_6.mp4) so that it transcribes
them: English with <|en|> (their CMU-MOSI transcripts), a Chinese sentence with <|zh|>, with and
without timestamp tokens. That makes the decoding loop, language selection, the tokenizer and word
timestamps testable end to end with known answers. It writes OUT/expected.json with the clips, the
texts it was fitted to and what torch's own greedy decoding gives.
"""
import os

# One thread everywhere (BLAS included): the machine running the tests has other work to do.
for _var in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'):
    os.environ[_var] = '1'

import argparse  # noqa: E402
import json
import math
import re
import shutil
import subprocess
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
MEDIA = os.path.normpath(os.path.join(ROOT, '..', 'shared', 'data', 'mosi', 'media'))

SAMPLE_RATE, N_FFT, HOP, N_MELS = 16000, 400, 160, 80
CHUNK_S = 10                                   # a 10 s window (Whisper's is 30 s): 1000 mel frames
N_SAMPLES = CHUNK_S * SAMPLE_RATE
N_FRAMES = N_SAMPLES // HOP
SOURCE_POSITIONS = N_FRAMES // 2               # after the stride-2 convolution
TARGET_POSITIONS = 128
D_MODEL, HEADS, LAYERS, FFN = 64, 4, 2, 128
TIME_PRECISION = 0.02
SHIFTS_S = (0.0, 0.05, 0.1, 0.15, 0.2)

CLIPS = [
    {'file': '03bSnISJMiM_1.wav', 'en': 'anyhow it was really good', 'zh': '总之真的很好'},
    {'file': 'Oz06ZWiO20M_6.mp4',
     'en': 'and sucker punch is a failer but like a really ambitious weird the interesting idiosyncratic failure',
     'zh': '这部电影失败了但是很有野心'},
]
SPECIALS = ['<|endoftext|>', '<|startoftranscript|>', '<|en|>', '<|zh|>', '<|translate|>', '<|transcribe|>',
            '<|startoflm|>', '<|startofprev|>', '<|nospeech|>', '<|notimestamps|>']


# ----------------------------------------------------------------------------------------------
# Audio -> log-mel, the recipe of WhisperFeatureExtractor (periodic Hann, centred reflect padding,
# power spectrum, slaney mel, log10, max-8 floor, (x+4)/4)

def hz_to_mel(f):
    f = np.asarray(f, np.float64)
    mels = f / (200.0 / 3)
    log_region = f >= 1000.0
    mels[log_region] = 15.0 + np.log(f[log_region] / 1000.0) / (np.log(6.4) / 27.0)
    return mels


def mel_to_hz(m):
    m = np.asarray(m, np.float64)
    f = m * (200.0 / 3)
    log_region = m >= 15.0
    f[log_region] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (m[log_region] - 15.0))
    return f


def mel_filters():
    """[N_MELS, N_FFT/2+1] slaney-normalised triangular filters, 0-8 kHz."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, N_FFT // 2 + 1)
    mel_points = np.linspace(hz_to_mel([0.0])[0], hz_to_mel([8000.0])[0], N_MELS + 2)
    hz = mel_to_hz(mel_points)
    diff = np.diff(hz)
    slopes = hz[None, :] - fft_freqs[:, None]
    down = -slopes[:, :-2] / diff[:-1]
    up = slopes[:, 2:] / diff[1:]
    filters = np.maximum(0, np.minimum(down, up))          # [freq, mel]
    filters *= 2.0 / (hz[2:N_MELS + 2] - hz[:N_MELS])
    return filters.T.astype(np.float32)


def log_mel(audio, filters):
    wave = np.zeros(N_SAMPLES, np.float64)
    wave[:min(len(audio), N_SAMPLES)] = audio[:N_SAMPLES]
    padded = np.pad(wave, N_FFT // 2, mode='reflect')
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)
    frames = np.stack([padded[i * HOP:i * HOP + N_FFT] for i in range(N_FRAMES)])
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2            # [frames, freq]
    mel = np.log10(np.maximum(filters.astype(np.float64) @ power.T, 1e-10))  # [mels, frames]
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)


def decode_audio(path, ffmpeg):
    raw = subprocess.run([ffmpeg, '-v', 'error', '-i', path, '-ac', '1', '-ar', str(SAMPLE_RATE), '-f', 'f32le', '-'],
                         check=True, capture_output=True).stdout
    return np.frombuffer(raw, np.float32)


# ----------------------------------------------------------------------------------------------
# Byte-level BPE learnt on the target texts (GPT-2's byte <-> unicode table and pre-tokenizer)

def bytes_to_unicode():
    bs = list(range(ord('!'), ord('~') + 1)) + list(range(ord('¡'), ord('¬') + 1)) + list(range(ord('®'), ord('ÿ') + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


BYTE_CHARS = bytes_to_unicode()
PRETOKENIZE = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?[^\s\w]+|\s+(?!\S)|\s+""")


def byte_words(text):
    return [''.join(BYTE_CHARS[b] for b in w.encode('utf-8')) for w in PRETOKENIZE.findall(text)]


def learn_bpe(texts, merges_wanted):
    words = {}
    for t in texts:
        for w in byte_words(t):
            words[tuple(w)] = words.get(tuple(w), 0) + 1
    merges = []
    for _ in range(merges_wanted):
        pairs = {}
        for w, n in words.items():
            for a, b in zip(w, w[1:]):
                pairs[(a, b)] = pairs.get((a, b), 0) + n
        if not pairs:
            break
        best = max(sorted(pairs), key=lambda p: pairs[p])
        merges.append(best)
        merged = {}
        for w, n in words.items():
            out, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    out.append(w[i] + w[i + 1])
                    i += 2
                else:
                    out.append(w[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    return merges


class Tokenizer:
    def __init__(self, texts):
        self.merges = learn_bpe(texts, 400)
        vocab = list(BYTE_CHARS.values())
        vocab += [a + b for a, b in self.merges]
        self.vocab = {tok: i for i, tok in enumerate(vocab)}
        self.special = {s: len(vocab) + i for i, s in enumerate(SPECIALS)}
        self.timestamp_begin = self.special['<|notimestamps|>'] + 1
        self.size = self.timestamp_begin + 1501
        self.rank = {m: i for i, m in enumerate(self.merges)}

    def encode(self, text):
        ids = []
        for w in byte_words(text):
            parts = list(w)
            while len(parts) > 1:
                ranked = [(self.rank.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(parts, parts[1:]))]
                r, i = min(ranked)
                if r == 1 << 30:
                    break
                parts[i:i + 2] = [parts[i] + parts[i + 1]]
            ids += [self.vocab[p] for p in parts]
        return ids

    def timestamp(self, seconds):
        return self.timestamp_begin + int(round(seconds / TIME_PRECISION))

    def json(self):
        added = [{'id': i, 'content': s, 'single_word': False, 'lstrip': False, 'rstrip': False, 'normalized': False,
                  'special': True} for s, i in self.special.items()]
        # Timestamp tokens are added tokens but not special ones, as in Whisper's own tokenizer.json.
        added += [{'id': self.timestamp_begin + k, 'content': f'<|{k * TIME_PRECISION:.2f}|>', 'single_word': False,
                   'lstrip': False, 'rstrip': False, 'normalized': False, 'special': False} for k in range(1501)]
        return {
            'version': '1.0', 'truncation': None, 'padding': None, 'added_tokens': added, 'normalizer': None,
            'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': False, 'trim_offsets': True, 'use_regex': True},
            'post_processor': None,
            'decoder': {'type': 'ByteLevel', 'add_prefix_space': True, 'trim_offsets': True, 'use_regex': True},
            'model': {'type': 'BPE', 'dropout': None, 'unk_token': None, 'continuing_subword_prefix': '',
                      'end_of_word_suffix': '', 'fuse_unk': False, 'byte_fallback': False,
                      'vocab': self.vocab, 'merges': [f'{a} {b}' for a, b in self.merges]},
        }


# ----------------------------------------------------------------------------------------------
# Whisper at toy size (pre-LayerNorm Transformer; keys without bias; tied output embedding)

class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = nn.Linear(D_MODEL, D_MODEL), nn.Linear(D_MODEL, D_MODEL, bias=False), nn.Linear(D_MODEL, D_MODEL)
        self.out = nn.Linear(D_MODEL, D_MODEL)

    def split(self, x):
        return x.view(x.shape[0], x.shape[1], HEADS, D_MODEL // HEADS).transpose(1, 2)

    def attend(self, q, k, v, mask=None):
        scores = (self.split(q) @ k.transpose(-1, -2)) / math.sqrt(D_MODEL // HEADS)
        if mask is not None:
            scores = scores.masked_fill(~mask, -1e9)
        probs = scores.softmax(-1)
        out = (probs @ v).transpose(1, 2).reshape(q.shape[0], q.shape[1], D_MODEL)
        return self.out(out), probs


class EncoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.attn, self.ln2 = nn.LayerNorm(D_MODEL), Attention(), nn.LayerNorm(D_MODEL)
        self.ffn = nn.Sequential(nn.Linear(D_MODEL, FFN), nn.GELU(), nn.Linear(FFN, D_MODEL))

    def forward(self, x):
        h = self.ln1(x)
        x = x + self.attn.attend(self.attn.q(h), self.attn.split(self.attn.k(h)), self.attn.split(self.attn.v(h)))[0]
        return x + self.ffn(self.ln2(x))


def sinusoids(length, channels):
    inc = math.log(10000) / (channels // 2 - 1)
    inv = torch.exp(-inc * torch.arange(channels // 2))
    t = torch.arange(length)[:, None] * inv[None, :]
    return torch.cat([t.sin(), t.cos()], 1)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(N_MELS, D_MODEL, 3, padding=1)
        self.conv2 = nn.Conv1d(D_MODEL, D_MODEL, 3, stride=2, padding=1)
        self.register_buffer('positions', sinusoids(SOURCE_POSITIONS, D_MODEL))
        self.layers = nn.ModuleList([EncoderLayer() for _ in range(LAYERS)])
        self.ln = nn.LayerNorm(D_MODEL)

    def forward(self, input_features):
        x = F.gelu(self.conv2(F.gelu(self.conv1(input_features)))).transpose(1, 2)
        x = x + self.positions[:x.shape[1]]
        for layer in self.layers:
            x = layer(x)
        return self.ln(x)


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln1, self.self_attn = nn.LayerNorm(D_MODEL), Attention()
        self.ln2, self.cross = nn.LayerNorm(D_MODEL), Attention()
        self.ln3 = nn.LayerNorm(D_MODEL)
        self.ffn = nn.Sequential(nn.Linear(D_MODEL, FFN), nn.GELU(), nn.Linear(FFN, D_MODEL))

    def forward(self, x, encoder, past_k, past_v, past_ek, past_ev, mask):
        h = self.ln1(x)
        k = torch.cat([past_k, self.self_attn.split(self.self_attn.k(h))], 2)
        v = torch.cat([past_v, self.self_attn.split(self.self_attn.v(h))], 2)
        x = x + self.self_attn.attend(self.self_attn.q(h), k, v, mask)[0]
        # Cross-attention keys/values: the cached ones when the cache holds them (use_cache_branch),
        # else computed from the encoder output. [cached; new][:S] picks whichever has the S rows,
        # which is the merged decoder's two branches without an If node.
        s = encoder.shape[1]
        ek = torch.cat([past_ek, self.cross.split(self.cross.k(encoder))], 2)[:, :, :s]
        ev = torch.cat([past_ev, self.cross.split(self.cross.v(encoder))], 2)[:, :, :s]
        out, probs = self.cross.attend(self.cross.q(self.ln2(x)), ek, ev)
        x = x + out
        return x + self.ffn(self.ln3(x)), k, v, ek, ev, probs


class Decoder(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.embed = nn.Embedding(vocab, D_MODEL)
        nn.init.normal_(self.embed.weight, std=0.02)  # tied to the output layer: keep first logits small
        self.positions = nn.Parameter(torch.randn(TARGET_POSITIONS, D_MODEL) * 0.02)
        self.layers = nn.ModuleList([DecoderLayer() for _ in range(LAYERS)])
        self.ln = nn.LayerNorm(D_MODEL)

    def forward(self, input_ids, encoder, past):
        """past: per layer (k, v, encoder k, encoder v), each [B, H, P or 0, D/H]."""
        p = past[0][0].shape[2]
        t = input_ids.shape[1]
        x = self.embed(input_ids) + self.positions[p:p + t]
        rows = torch.arange(t)[:, None] + p
        mask = (torch.arange(p + t)[None, :] <= rows)[None, None]
        presents, crosses = [], []
        for layer, (pk, pv, pek, pev) in zip(self.layers, past):
            x, k, v, ek, ev, probs = layer(x, encoder, pk, pv, pek, pev, mask)
            presents.append((k, v, ek, ev))
            crosses.append(probs)
        return self.ln(x) @ self.embed.weight.T, presents, crosses


def empty_past(batch=1, encoder_len=0):
    z = torch.zeros(batch, HEADS, 0, D_MODEL // HEADS)
    e = torch.zeros(batch, HEADS, encoder_len, D_MODEL // HEADS)
    return [(z, z, e, e) for _ in range(LAYERS)]


class MergedDecoder(nn.Module):
    """The ONNX interface of decoder_model_merged.onnx."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder

    def forward(self, input_ids, encoder_hidden_states, use_cache_branch, *flat_past):
        past = [tuple(flat_past[4 * i:4 * i + 4]) for i in range(LAYERS)]
        logits, presents, crosses = self.decoder(input_ids, encoder_hidden_states, past)
        # The branch flag is implied by the cache's length (see DecoderLayer); it stays an input
        # because transformers.js feeds it to a merged decoder.
        logits = logits + 0 * use_cache_branch.to(logits.dtype).sum()
        return (logits, *[t for p in presents for t in p], *crosses)


# ----------------------------------------------------------------------------------------------

def sequences(tok, clip, duration):
    """(prompt, target) pairs this clip is fitted to: en/zh x with/without timestamps."""
    out = []
    for lang in ('en', 'zh'):
        prompt = [tok.special['<|startoftranscript|>'], tok.special[f'<|{lang}|>'], tok.special['<|transcribe|>']]
        text = tok.encode((' ' if lang == 'en' else '') + clip[lang])
        eot = tok.special['<|endoftext|>']
        out.append((prompt + [tok.special['<|notimestamps|>']], text + [eot]))
        end = min(duration, CHUNK_S) - TIME_PRECISION
        out.append((prompt, [tok.timestamp(0.0)] + text + [tok.timestamp(end), eot]))
    return out


def greedy(encoder, decoder, features, prompt, eot, limit=TARGET_POSITIONS):
    with torch.no_grad():
        enc = encoder(features[None])
        ids = list(prompt)
        past = empty_past()
        step_input = torch.tensor([ids])
        while len(ids) < limit:
            logits, presents, _ = decoder(step_input, enc, past)
            past = presents
            nxt = int(logits[0, -1].argmax())
            ids.append(nxt)
            if nxt == eot:
                break
            step_input = torch.tensor([[nxt]])
        return ids[len(prompt):]


def fitting_misses(encoder, decoder, clips, tok):
    """Targets (every clip, starting point, language, with/without timestamps) greedy decoding misses."""
    eot = tok.special['<|endoftext|>']
    misses = 0
    for clip in clips:
        for view in clip['views']:
            for prompt, target in view['sequences']:
                got = greedy(encoder, decoder, view['features'], prompt, eot, limit=len(prompt) + len(target) + 2)
                # The closing timestamp may land a step off: any timestamp there will do.
                same = len(got) == len(target) and all(
                    g == t or (k == len(target) - 2 and g >= tok.timestamp_begin and t >= tok.timestamp_begin)
                    for k, (g, t) in enumerate(zip(got, target)))
                misses += not same
    return misses


def export(encoder, decoder, onnx_dir, tok):
    os.makedirs(onnx_dir, exist_ok=True)
    features = torch.zeros(1, N_MELS, N_FRAMES)
    torch.onnx.export(encoder, (features,), os.path.join(onnx_dir, 'encoder_model.onnx'), opset_version=14,
                      input_names=['input_features'], output_names=['last_hidden_state'],
                      dynamic_axes={'input_features': {0: 'batch_size'}, 'last_hidden_state': {0: 'batch_size'}})
    past_names, present_names, axes = [], [], {
        'input_ids': {0: 'batch_size', 1: 'decoder_sequence_length'},
        'encoder_hidden_states': {0: 'batch_size', 1: 'encoder_sequence_length'},
        'logits': {0: 'batch_size', 1: 'decoder_sequence_length'}}
    for i in range(LAYERS):
        for part, length in (('decoder.key', 'past_decoder_sequence_length'), ('decoder.value', 'past_decoder_sequence_length'),
                             ('encoder.key', 'encoder_sequence_length_out'), ('encoder.value', 'encoder_sequence_length_out')):
            past_names.append(f'past_key_values.{i}.{part}')
            present_names.append(f'present.{i}.{part}')
            axes[past_names[-1]] = {0: 'batch_size', 2: length}
            axes[present_names[-1]] = {0: 'batch_size', 2: length.replace('past_', 'present_')}
    cross_names = [f'cross_attentions.{i}' for i in range(LAYERS)]
    for n in cross_names:
        axes[n] = {0: 'batch_size', 2: 'decoder_sequence_length', 3: 'encoder_sequence_length_out'}
    enc = torch.randn(1, SOURCE_POSITIONS, D_MODEL)
    past = [t for layer in empty_past(1, SOURCE_POSITIONS) for t in (
        torch.randn(1, HEADS, 3, D_MODEL // HEADS), torch.randn(1, HEADS, 3, D_MODEL // HEADS), layer[2], layer[3])]
    torch.onnx.export(MergedDecoder(decoder), (torch.tensor([[tok.special['<|en|>']]]), enc, torch.tensor([True]), *past),
                      os.path.join(onnx_dir, 'decoder_model_merged.onnx'), opset_version=14,
                      input_names=['input_ids', 'encoder_hidden_states', 'use_cache_branch', *past_names],
                      output_names=['logits', *present_names, *cross_names], dynamic_axes=axes)


def write_json(path, value):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(value, f, ensure_ascii=False, indent=1)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('out')
    p.add_argument('--ffmpeg', default=shutil.which('ffmpeg') or 'ffmpeg')
    p.add_argument('--steps', type=int, default=150)
    p.add_argument('--max-steps', type=int, default=1000)
    p.add_argument('--onnx-subfolder', action='store_true')
    p.add_argument('--seed', type=int, default=7)
    args = p.parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)

    filters = mel_filters()
    tok = Tokenizer([' ' + c['en'] for c in CLIPS] + [c['zh'] for c in CLIPS])
    clips = []
    for clip in CLIPS:
        path = os.path.join(MEDIA, clip['file'])
        audio = decode_audio(path, args.ffmpeg)
        duration = len(audio) / SAMPLE_RATE
        # The app transcribes windows that start where voice activity starts, a little after 0:
        # the clip is also fitted as heard from a few later starting points.
        views = []
        for shift in SHIFTS_S:
            cut = audio[int(shift * SAMPLE_RATE):]
            views.append({'features': torch.from_numpy(log_mel(cut, filters)), 'sequences': sequences(tok, clip, duration - shift)})
        clips.append({**clip, 'path': path, 'duration': duration, 'features': views[0]['features'], 'views': views})

    encoder, decoder = Encoder(), Decoder(tok.size)
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimizer = torch.optim.Adam(params, lr=2e-3)
    width = max(len(pr) + len(t) for c in clips for v in c['views'] for pr, t in v['sequences'])
    step = 0
    while True:
        views = [c['views'][np.random.randint(len(c['views']))] for c in clips]
        examples = [(k, prompt, target) for k, v in enumerate(views) for prompt, target in v['sequences']]
        # Noise on the log-mel keeps the fit from hinging on exact feature values (the app computes
        # them in JavaScript), and the two clips' different audio is what tells the texts apart.
        feats = torch.stack([v['features'] for v in views])
        feats = feats + 0.05 * torch.randn_like(feats)
        encoded = encoder(feats)[[k for k, _, _ in examples]]  # each clip encoded once per step
        ids = torch.zeros(len(examples), width - 1, dtype=torch.long)
        targets = torch.full((len(examples), width - 1), -100, dtype=torch.long)
        for r, (_, prompt, target) in enumerate(examples):
            seq = prompt + target
            ids[r, :len(seq) - 1] = torch.tensor(seq[:-1])
            targets[r, len(prompt) - 1:len(seq) - 1] = torch.tensor(target)
        logits, _, _ = decoder(ids, encoded, empty_past(len(examples)))
        loss = F.cross_entropy(logits.reshape(-1, tok.size), targets.reshape(-1), ignore_index=-100)
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        if step % 25 == 0:
            print(f'step {step} loss {loss.item():.4f}', flush=True)
        step += 1
        # Fitted when greedy decoding gives every target from every starting point; checked
        # from --steps on, so the folder is never written with a model that does not know its texts.
        if step >= args.steps and step % 25 == 0:
            encoder.eval()
            decoder.eval()
            misses = fitting_misses(encoder, decoder, clips, tok)
            encoder.train()
            decoder.train()
            print(f'step {step}: {misses} of {sum(len(v["sequences"]) for c in clips for v in c["views"])} targets not yet decoded', flush=True)
            if misses == 0:
                break
            if step >= args.max_steps:
                sys.exit(f'the tiny Whisper did not fit its {misses} remaining targets in {step} steps')
    encoder.eval()
    decoder.eval()

    os.makedirs(args.out, exist_ok=True)
    export(encoder, decoder, os.path.join(args.out, 'onnx') if args.onnx_subfolder else args.out, tok)
    eot = tok.special['<|endoftext|>']
    lang_to_id = {f'<|{l}|>': tok.special[f'<|{l}|>'] for l in ('en', 'zh')}
    config = {
        'model_type': 'whisper', 'architectures': ['WhisperForConditionalGeneration'], 'is_encoder_decoder': True,
        'd_model': D_MODEL, 'encoder_layers': LAYERS, 'decoder_layers': LAYERS, 'encoder_attention_heads': HEADS,
        'decoder_attention_heads': HEADS, 'encoder_ffn_dim': FFN, 'decoder_ffn_dim': FFN, 'num_mel_bins': N_MELS,
        'vocab_size': tok.size, 'max_source_positions': SOURCE_POSITIONS, 'max_target_positions': TARGET_POSITIONS,
        'decoder_start_token_id': tok.special['<|startoftranscript|>'], 'bos_token_id': eot, 'eos_token_id': eot,
        'pad_token_id': eot, 'median_filter_width': 7, 'use_cache': True,
    }
    generation = {
        'decoder_start_token_id': tok.special['<|startoftranscript|>'], 'bos_token_id': eot, 'eos_token_id': eot,
        'pad_token_id': eot, 'max_length': TARGET_POSITIONS, 'is_multilingual': True, 'lang_to_id': lang_to_id,
        'task_to_id': {'transcribe': tok.special['<|transcribe|>'], 'translate': tok.special['<|translate|>']},
        'no_timestamps_token_id': tok.special['<|notimestamps|>'], 'alignment_heads': [[1, 0], [1, 1], [1, 2], [1, 3]],
        'begin_suppress_tokens': [eot], 'suppress_tokens': [], 'max_initial_timestamp_index': 50,
    }
    preprocessor = {
        'feature_extractor_type': 'WhisperFeatureExtractor', 'processor_class': 'WhisperProcessor',
        'feature_size': N_MELS, 'sampling_rate': SAMPLE_RATE, 'hop_length': HOP, 'chunk_length': CHUNK_S,
        'n_fft': N_FFT, 'n_samples': N_SAMPLES, 'nb_max_frames': N_FRAMES, 'padding_value': 0.0,
        'padding_side': 'right', 'return_attention_mask': False, 'mel_filters': filters.tolist(),
    }
    tokenizer_config = {'tokenizer_class': 'WhisperTokenizer', 'model_max_length': TARGET_POSITIONS,
                        'bos_token': '<|endoftext|>', 'eos_token': '<|endoftext|>', 'unk_token': '<|endoftext|>',
                        'pad_token': '<|endoftext|>', 'add_prefix_space': False, 'clean_up_tokenization_spaces': True}
    write_json(os.path.join(args.out, 'config.json'), config)
    write_json(os.path.join(args.out, 'generation_config.json'), generation)
    write_json(os.path.join(args.out, 'preprocessor_config.json'), preprocessor)
    write_json(os.path.join(args.out, 'tokenizer.json'), tok.json())
    write_json(os.path.join(args.out, 'tokenizer_config.json'), tokenizer_config)

    expected = []
    for clip in clips:
        for lang in ('en', 'zh'):
            prompt = [tok.special['<|startoftranscript|>'], tok.special[f'<|{lang}|>'], tok.special['<|transcribe|>'],
                      tok.special['<|notimestamps|>']]
            got = greedy(encoder, decoder, clip['features'], prompt, eot)
            expected.append({'clip': clip['path'], 'duration': clip['duration'], 'language': lang, 'text': clip[lang],
                             'torch_greedy_ids': got, 'fitted_ids': tok.encode((' ' if lang == 'en' else '') + clip[lang]) + [eot]})
    write_json(os.path.join(args.out, 'expected.json'), {'steps': args.steps, 'final_loss': loss.item(), 'cases': expected})
    fitted = sum(e['torch_greedy_ids'] == e['fitted_ids'] for e in expected)
    print(f'wrote {args.out}: vocabulary {tok.size}, torch greedy decoding reproduces {fitted}/{len(expected)} fitted texts')


if __name__ == '__main__':
    main()
