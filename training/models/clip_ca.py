"""CLIP-CA-MSA style model: text <-> image cross-attention and an uncertainty-weighted
multi-task loss.

- Text <-> image cross-attention (the CLIP-CA-MSA fusion; here on Sentiscope's text and visual
  frames instead of CLIP embeddings): text frames attend the visual frames and visual frames
  attend the text frames, `layers` stacked post-norm layers in each direction (cross-attention +
  FFN), each direction mean-pooled. Audio (which CLIP-CA-MSA does not have) joins through a
  masked mean + MLP so the one interface holds for video segments.
- fused = [pool(t->v); pool(v->t); audio] -> 3 logits + score = 3 tanh(raw); two auxiliary heads
  (text alone, image alone) give unimodal logits for the multi-task loss.
- UncertaintyWeightedLoss (Kendall, Gal & Cipolla, CVPR 2018): L = sum_k exp(-s_k) L_k + s_k with
  learned log-variances s_k over the tasks: score (L1), class (CE), text class (CE), image class
  (CE, rows with an image). No gates.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import FeedForward, MaskedMultiheadAttention, OutputHead, SeedModel, masked_mean, supervised_loss


class CrossLayer(nn.Module):
    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.attn = MaskedMultiheadAttention(d_model, heads, dropout)
        self.ffn = FeedForward(d_model, 2 * d_model, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.drop = nn.Dropout(dropout)

    def forward(self, q, kv, kv_mask):
        q = self.norm1(q + self.drop(self.attn(q, kv, kv_mask)))
        return self.norm2(q + self.drop(self.ffn(q)))


class UncertaintyWeightedLoss(nn.Module):
    """sum_k exp(-s_k) * L_k + s_k, s_k = log sigma_k^2 learned (one per task)."""

    def __init__(self, tasks):
        super().__init__()
        self.tasks = list(tasks)
        self.log_vars = nn.Parameter(torch.zeros(len(self.tasks)))

    def forward(self, losses):
        total = 0.0
        for k, task in enumerate(self.tasks):
            if task in losses:
                total = total + torch.exp(-self.log_vars[k]) * losses[task] + self.log_vars[k]
        return total


class CLIPCA(SeedModel):
    architecture = 'clip-ca'

    def __init__(self, dims, d_model=64, heads=4, layers=1, hidden=64, dropout=0.1):
        super().__init__(dims, d_model, dropout)
        self.text_to_image = nn.ModuleList([CrossLayer(d_model, heads, dropout) for _ in range(layers)])
        self.image_to_text = nn.ModuleList([CrossLayer(d_model, heads, dropout) for _ in range(layers)])
        self.audio = nn.Sequential(nn.Linear(d_model, d_model), nn.GELU())
        self.head = OutputHead(3 * d_model, hidden, dropout)
        self.text_head = nn.Linear(d_model, 3)
        self.image_head = nn.Linear(d_model, 3)
        self.mtl = UncertaintyWeightedLoss(['score', 'class', 'text_class', 'image_class'])

    def fuse(self, x, masks, presence):
        h = self.projected(x)
        t, v = h['text'] * masks['text'].unsqueeze(-1), h['visual'] * masks['visual'].unsqueeze(-1)
        tq, vq = t, v
        for a, b in zip(self.text_to_image, self.image_to_text):
            tq, vq = a(tq, v, masks['visual']), b(vq, t, masks['text'])
        t_pool, v_pool = masked_mean(tq, masks['text']), masked_mean(vq, masks['visual'])
        a_pool = self.audio(masked_mean(h['audio'], masks['audio'])) * presence[:, 1:2]
        out = self.head(torch.cat([t_pool, v_pool, a_pool], dim=1))
        out['aux'] = {'text_logits': self.text_head(masked_mean(t, masks['text'])),
                      'image_logits': self.image_head(masked_mean(v, masks['visual'])), 'presence': presence}
        return out

    def loss(self, out, batch):
        parts = supervised_loss(out, batch)
        tasks = {'score': parts['l1'], 'class': parts['ce']}
        cls = batch['cls']
        for task, key, k in (('text_class', 'text_logits', 0), ('image_class', 'image_logits', 2)):
            rows = (cls >= 0) & (out['aux']['presence'][:, k] > 0)
            if bool(rows.any()):
                tasks[task] = F.cross_entropy(out['aux'][key][rows], cls[rows])
        parts.update({f'task_{k}': v for k, v in tasks.items()})
        parts['loss'] = self.mtl(tasks)
        return parts
