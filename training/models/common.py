"""The one interface every seed architecture implements, and the blocks they share.

[Note: seed model interface]
    model(text, audio, visual, text_mask, audio_mask, visual_mask, presence) -> dict
      text   float32 [B, Lt, Dt]   text frames (token embeddings of a text encoder)
      audio  float32 [B, La, Da]   acoustic frames (the acoustic recipe's per-frame features)
      visual float32 [B, Lv, Dv]   visual frames (per sampled frame: face, 7 expression probs, score)
      *_mask float32 [B, L]        1 = a real frame, 0 = batch padding
      presence float32 [B, 3]      1/0 per modality (text, audio, visual)
    returns {'score': [B, 1] = 3 * tanh(raw), 'logits': [B, 3] (negative, neutral, positive),
             'gates': {name: tensor in [0, 1]} where the model has gates, 'aux': training-only extras}

Absent modalities: `SeedModel.prepare` zeroes an absent modality's features and folds presence
into its mask, so nothing of an absent modality reaches the output, and every pooling and
attention below is safe when all of a row's frames are masked (the result is zeros, never NaN).
Raw extractor output goes in: per-modality standardization constants live in the model
(buffers, set from training frames), so the exported ONNX needs no statistics file.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

MODALITIES = ('text', 'audio', 'visual')
CLASSES = ('negative', 'neutral', 'positive')
# An additive attention mask: large enough that exp() underflows to exactly 0, finite so a
# fully masked row gives uniform weights (later zeroed) instead of NaN.
MASKED = -1e9


def masked_mean(x, mask):
    """Mean of x [B, L, D] over the positions where mask [B, L] is 1; zeros where none is."""
    m = mask.unsqueeze(-1)
    return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)


def any_valid(mask):
    """[B, 1]: 1 where the row has at least one unmasked position."""
    return (mask.sum(dim=1, keepdim=True) > 0).to(mask.dtype)


class Standardize(nn.Module):
    """(x - mean) / std with constants from the training frames (identity until set)."""

    def __init__(self, dim):
        super().__init__()
        self.register_buffer('mean', torch.zeros(dim))
        self.register_buffer('std', torch.ones(dim))

    def set(self, mean, std):
        std = torch.as_tensor(std, dtype=torch.float32).clone()
        std[std < 1e-6] = 1.0
        self.mean.copy_(torch.as_tensor(mean, dtype=torch.float32))
        self.std.copy_(std)

    def forward(self, x):
        return (x - self.mean) / self.std


class MaskedMultiheadAttention(nn.Module):
    """Scaled dot-product multi-head attention (Vaswani et al. 2017) with a key mask.

    Written out rather than nn.MultiheadAttention so that (a) a query whose keys are all masked
    gets a zero output instead of NaN, and (b) the ONNX graph is plain MatMul/Softmax."""

    def __init__(self, d_model, heads, dropout=0.0):
        super().__init__()
        assert d_model % heads == 0, 'd_model must be divisible by heads'
        self.heads, self.d_head = heads, d_model // heads
        self.q = nn.Linear(d_model, d_model)
        self.k = nn.Linear(d_model, d_model)
        self.v = nn.Linear(d_model, d_model)
        self.out = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def split(self, x):
        b, n, _ = x.shape
        return x.view(b, n, self.heads, self.d_head).transpose(1, 2)  # [B, H, N, dh]

    def forward(self, query, key, key_mask):
        q, k, v = self.split(self.q(query)), self.split(self.k(key)), self.split(self.v(key))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.d_head)  # [B, H, Nq, Nk]
        scores = scores + (1.0 - key_mask)[:, None, None, :] * MASKED
        weights = self.dropout(torch.softmax(scores, dim=-1))
        ctx = torch.matmul(weights, v).transpose(1, 2).reshape(query.shape[0], query.shape[1], -1)
        return self.out(ctx) * any_valid(key_mask).unsqueeze(-1)


class FeedForward(nn.Module):
    def __init__(self, d_model, hidden, dropout):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_model, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, d_model))

    def forward(self, x):
        return self.net(x)


class EncoderLayer(nn.Module):
    """Post-norm Transformer encoder layer (self-attention + FFN) over a masked sequence."""

    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.attn = MaskedMultiheadAttention(d_model, heads, dropout)
        self.ffn = FeedForward(d_model, 2 * d_model, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, mask):
        x = self.norm1(x + self.drop(self.attn(x, x, mask)))
        return self.norm2(x + self.drop(self.ffn(x)))


class OutputHead(nn.Module):
    """Fused vector -> 3 class logits + score = 3 * tanh(raw) (the MOSI range [-3, 3])."""

    def __init__(self, d_in, hidden, dropout):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(d_in, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, 4))

    def forward(self, fused):
        out = self.net(fused)
        return {'score': 3.0 * torch.tanh(out[:, 3:4]), 'logits': out[:, :3]}


class SeedModel(nn.Module):
    """Base of the seed architectures: standardization, projection to d_model, presence.

    dims: {'text': Dt, 'audio': Da, 'visual': Dv}. Subclasses implement `fuse(h, masks, presence)`
    on the prepared sequences and return the output dict."""

    architecture = 'seed'

    def __init__(self, dims, d_model=64, dropout=0.1, project=True):
        super().__init__()
        self.dims = dict(dims)
        self.d_model = d_model
        self.dropout = dropout
        self.standardize = nn.ModuleDict({m: Standardize(dims[m]) for m in MODALITIES})
        self.project = nn.ModuleDict({m: nn.Linear(dims[m], d_model) for m in MODALITIES}) if project else None

    def set_normalization(self, stats):
        """stats: {modality: (mean [D], std [D])} over real (unpadded, present) training frames."""
        for m, (mean, std) in stats.items():
            self.standardize[m].set(mean, std)

    def prepare(self, text, audio, visual, text_mask, audio_mask, visual_mask, presence):
        """Standardize, zero absent modalities and padding, fold presence into the masks.
        Returns (x, masks): x[m] [B, L, D_m] (standardized), masks[m] [B, L]."""
        raw = {'text': text, 'audio': audio, 'visual': visual}
        pad = {'text': text_mask, 'audio': audio_mask, 'visual': visual_mask}
        x, masks = {}, {}
        for k, m in enumerate(MODALITIES):
            mask = pad[m] * presence[:, k:k + 1]
            masks[m] = mask
            x[m] = self.standardize[m](raw[m]) * mask.unsqueeze(-1)
        return x, masks

    def projected(self, x):
        return {m: self.project[m](x[m]) for m in MODALITIES}

    def forward(self, text, audio, visual, text_mask, audio_mask, visual_mask, presence):
        x, masks = self.prepare(text, audio, visual, text_mask, audio_mask, visual_mask, presence)
        return self.fuse(x, masks, presence)

    def fuse(self, x, masks, presence):
        raise NotImplementedError

    def loss(self, out, batch):
        """Default training loss: L1 on the score (true or proxy, weighted) + CE on the classes."""
        return supervised_loss(out, batch)


def supervised_loss(out, batch, proxy_weight=0.3):
    """L1 on the score where a true score exists (MOSI), proxy_weight * L1 towards the class's
    proxy score otherwise (as late-fusion-v1); cross-entropy on labelled rows."""
    cls, score, has_score = batch['cls'], batch['score'], batch['has_score']
    labelled = cls >= 0
    # Optional per-row weight (train_seed: acted speech at equal class mass per corpus); 1 otherwise.
    row = batch.get('weight', torch.ones_like(score))
    if bool(labelled.any()):
        ce_rows = F.cross_entropy(out['logits'][labelled], cls[labelled], reduction='none')
        ce = (row[labelled] * ce_rows).sum() / row[labelled].sum().clamp(min=1e-6)
    else:
        ce = out['logits'].sum() * 0
    weight = row * (has_score + (1 - has_score) * proxy_weight * labelled.to(torch.float32))
    l1 = (weight * (out['score'].squeeze(1) - score).abs()).sum() / weight.sum().clamp(min=1e-6)
    return {'loss': ce + l1, 'ce': ce, 'l1': l1}
