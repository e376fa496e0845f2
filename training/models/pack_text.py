"""The seed packs' text side, version 3: the default pack's trained token encoder, frozen.

[Note: seed text from the default pack]
The GloVe-only text side of the 2.x runs ([Note: seed text embedding]) gave the seed
architectures 59-72 % on MOSI dev: in 200-600 CPU steps they learned little polarity above the
frozen vectors, while late-fusion-v1's text branch, trained for 8 epochs on MOSI, SST-2, MELD,
MVSA and the Chinese reviews, reaches 80 %. So the seed packs read text the way the papers'
models read BERT: per-token features of a pretrained encoder, fixed, with the fusion
architecture trained above them. The encoder is the English encoder of the FIRST text branch of
late-fusion-v1 (seed 13 of its ensemble, `training/runs/late-fusion-v1.pt`):
  token ids (its vocab.txt, tokenizer v3) -> GloVe 6B 100-d (frozen) or its trained vectors ->
  tanh(projection to 128) -> convolutions of width 1, 2, 3 (64 channels each), GELU
  -> [B, T, 192] token frames, zero at padding.
Its pooling, lexicon input and MLP are not used: each architecture pools and fuses in its own
way. Every weight is a buffer (nothing here trains), so the pack carries the encoder inside its
graph and reads `text.token_ids` only. English only (the Chinese encoder is not carried).
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

TOKEN_FEATURES = 192  # 3 convolution widths x 64 channels


def load_text_state(path, branch=0):
    """late-fusion-v1's saved state -> the tensors of one text branch's English encoder."""
    state = torch.load(path, map_location='cpu')
    prefix = f'text.branches.{branch}.' if f'text.branches.{branch}.glove' in state else 'text.'
    keys = ['glove', 'learned.weight', 'encoders.0.project.weight', 'encoders.0.project.bias'] + \
        [f'encoders.0.convs.{k}.{p}' for k in range(3) for p in ('weight', 'bias')]
    missing = [k for k in keys if prefix + k not in state]
    if missing:
        raise SystemExit(f'{path}: not a late-fusion-v1 state (missing {", ".join(prefix + k for k in missing)}); '
                         'train the default pack first (training/README.md)')
    return {k: state[prefix + k].detach().clone() for k in keys}


class PackTextEncoder(nn.Module):
    """Token ids [B, L] -> token frames [B, L, 192] (zeros at id 0), all weights fixed."""

    def __init__(self, tensors):
        super().__init__()
        for k, v in tensors.items():
            self.register_buffer(k.replace('.', '_'), v.clone())
        self.learned_end = int(self.learned_weight.shape[0])

    def forward(self, token_ids):
        mask = (token_ids != 0).to(torch.float32).unsqueeze(-1)
        learned = F.embedding(token_ids.clamp(max=self.learned_end - 1), self.learned_weight)
        glove = self.glove[(token_ids - self.learned_end + 1).clamp(min=0)].to(torch.float32)
        x = torch.where((token_ids >= self.learned_end).unsqueeze(-1), glove, learned) * mask
        h = torch.tanh(F.linear(x, self.encoders_0_project_weight, self.encoders_0_project_bias)) * mask
        t = h.shape[1]
        ht = h.transpose(1, 2)
        feats = [F.gelu(F.conv1d(ht, getattr(self, f'encoders_0_convs_{k}_weight'), getattr(self, f'encoders_0_convs_{k}_bias'),
                                 padding=(k + 1) // 2))[:, :, :t] for k in range(3)]
        return torch.cat(feats, dim=1).transpose(1, 2) * mask


def read_vocabulary(path):
    """The default pack's vocab.txt -> {token: id} (id = 2 + line)."""
    with open(path, encoding='utf-8') as f:
        tokens = [line.rstrip('\n') for line in f]
    return tokens, {t: 2 + k for k, t in enumerate(tokens)}


def check_same_vocabulary(tensors, tokens):
    rows = int(tensors['learned.weight'].shape[0]) + int(tensors['glove'].shape[0]) - 1
    if rows != len(tokens) + 2:
        raise SystemExit(f'the text state has {rows - 2} token rows but vocab.txt has {len(tokens)} tokens: '
                         'they come from different late-fusion-v1 runs')
    return np.int64(rows)
