"""CM-STA + CG + TCMFI: cross-modal spatio-temporal attention with contextual gating and
Transformer-based cross-modal fusion interaction.

Blocks (each switchable for the ablations "w/o CM-STA", "w/o CG", "w/o TCMFI"):

1. CM-STA (cross-modal spatio-temporal attention): the text frames are the queries of a
   cross-attention over the visual frames and, separately, over the audio frames. Each pair
   (text-visual, text-audio) has 2 stacked layers; in each layer
       h = LN(h + alpha * CrossAttn(h, other)),   h = LN(h + beta * FFN(h))
   with learnable residual weights alpha, beta (per layer). Each pair is mean-pooled over the
   (real) text frames: p_tv, p_ta [B, d].
   w/o CM-STA: p_tv = mean(t) * mean(v), p_ta = mean(t) * mean(a) (element-wise, no attention).
2. CG (contextual gating): c = p_tv + p_ta (summed pair interactions) -> MLP with 3 ReLU layers
   -> one sigmoid gate vector per modality g_m in [0, 1]^d, applied to that modality's frames:
   x_m <- g_m * x_m. Exported gate: `modality_gates` [B, 3] = mean of g_m over d (0 where absent).
   w/o CG: g_m = 1.
3. TCMFI (Transformer cross-modal fusion interaction): the gated frames of all three modalities,
   plus learnable positional embeddings (per modality, position within that modality) and
   learnable modality embeddings, are concatenated into one sequence -> 6 Transformer encoder
   layers (masked). Global: masked mean of the whole output sequence. Local: bilinear pooling
   between the per-modality means of the output (text-visual, text-audio, visual-audio; full
   bilinear forms u_i^T W_k u_j). fused = softmax(w)_0 * global + softmax(w)_1 * local with
   learnable w. w/o TCMFI: fused = linear(concat of the gated modality means, p_tv, p_ta).
Output head: fused -> 3 logits + score = 3 tanh(raw).
"""
import torch
import torch.nn as nn

from .common import (MODALITIES, EncoderLayer, FeedForward, MaskedMultiheadAttention, OutputHead, SeedModel, any_valid,
                     masked_mean)


class CrossAttentionLayer(nn.Module):
    """One CM-STA layer: text queries attend another modality; learnable residual weights."""

    def __init__(self, d_model, heads, dropout):
        super().__init__()
        self.attn = MaskedMultiheadAttention(d_model, heads, dropout)
        self.ffn = FeedForward(d_model, 2 * d_model, dropout)
        self.norm1, self.norm2 = nn.LayerNorm(d_model), nn.LayerNorm(d_model)
        self.alpha = nn.Parameter(torch.ones(1))
        self.beta = nn.Parameter(torch.ones(1))
        self.drop = nn.Dropout(dropout)

    def forward(self, h, other, other_mask):
        h = self.norm1(h + self.alpha * self.drop(self.attn(h, other, other_mask)))
        return self.norm2(h + self.beta * self.drop(self.ffn(h)))


class ContextualGate(nn.Module):
    """CG: summed pair interactions -> 3 ReLU layers -> a sigmoid gate per modality."""

    def __init__(self, d_model, hidden):
        super().__init__()
        self.mlp = nn.Sequential(nn.Linear(d_model, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                                 nn.Linear(hidden, hidden), nn.ReLU())
        self.to_gates = nn.Linear(hidden, 3 * d_model)

    def forward(self, context):
        g = torch.sigmoid(self.to_gates(self.mlp(context)))
        return g.view(context.shape[0], 3, -1)  # [B, 3, d]


class BilinearPooling(nn.Module):
    """Full bilinear form y_k = u^T W_k v + b_k (einsum, exports to ONNX Einsum)."""

    def __init__(self, d_model, d_out):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(d_out, d_model, d_model))
        nn.init.xavier_uniform_(self.weight)
        self.bias = nn.Parameter(torch.zeros(d_out))

    def forward(self, u, v):
        return torch.einsum('bi,kij,bj->bk', u, self.weight, v) + self.bias


class CMSTA(SeedModel):
    architecture = 'cmsta-cg-tcmfi'

    def __init__(self, dims, d_model=64, heads=4, cross_layers=2, fusion_layers=6, gate_hidden=64, hidden=64,
                 max_positions=4096, dropout=0.1, use_cmsta=True, use_cg=True, use_tcmfi=True):
        super().__init__(dims, d_model, dropout)
        self.use_cmsta, self.use_cg, self.use_tcmfi = use_cmsta, use_cg, use_tcmfi
        if use_cmsta:
            self.text_visual = nn.ModuleList([CrossAttentionLayer(d_model, heads, dropout) for _ in range(cross_layers)])
            self.text_audio = nn.ModuleList([CrossAttentionLayer(d_model, heads, dropout) for _ in range(cross_layers)])
        if use_cg:
            self.gate = ContextualGate(d_model, gate_hidden)
        if use_tcmfi:
            self.max_positions = max_positions
            self.positions = nn.Parameter(torch.zeros(max_positions, d_model))
            nn.init.normal_(self.positions, std=0.02)
            self.modality_embedding = nn.Parameter(torch.zeros(3, d_model))
            nn.init.normal_(self.modality_embedding, std=0.02)
            self.encoder = nn.ModuleList([EncoderLayer(d_model, heads, dropout) for _ in range(fusion_layers)])
            self.bilinear = nn.ModuleList([BilinearPooling(d_model, d_model) for _ in range(3)])
            self.local = nn.Linear(3 * d_model, d_model)
            self.mix = nn.Parameter(torch.zeros(2))
        else:
            self.plain = nn.Linear(5 * d_model, d_model)
        self.head = OutputHead(d_model, hidden, dropout)

    def pair(self, layers, text, text_mask, other, other_mask):
        if layers is None:
            return masked_mean(text, text_mask) * masked_mean(other, other_mask)
        h = text
        for layer in layers:
            h = layer(h, other, other_mask)
        return masked_mean(h, text_mask)

    def fuse(self, x, masks, presence):
        h = self.projected(x)
        h = {m: h[m] * masks[m].unsqueeze(-1) for m in MODALITIES}
        p_tv = self.pair(self.text_visual if self.use_cmsta else None, h['text'], masks['text'], h['visual'], masks['visual'])
        p_ta = self.pair(self.text_audio if self.use_cmsta else None, h['text'], masks['text'], h['audio'], masks['audio'])
        out = {}
        if self.use_cg:
            g = self.gate(p_tv + p_ta)  # [B, 3, d]
            h = {m: h[m] * g[:, k:k + 1, :] for k, m in enumerate(MODALITIES)}
            usable = torch.cat([any_valid(masks[m]) for m in MODALITIES], dim=1)
            out['gates'] = {'modality_gates': g.mean(dim=2) * usable}
        if self.use_tcmfi:
            parts, part_masks = [], []
            for k, m in enumerate(MODALITIES):
                length = h[m].shape[1]
                parts.append(h[m] + self.positions[:length].unsqueeze(0) + self.modality_embedding[k])
                part_masks.append(masks[m])
            seq, seq_mask = torch.cat(parts, dim=1), torch.cat(part_masks, dim=1)
            for layer in self.encoder:
                seq = layer(seq, seq_mask)
            global_ = masked_mean(seq, seq_mask)
            u, start = [], 0
            for m in MODALITIES:
                length = h[m].shape[1]
                u.append(masked_mean(seq[:, start:start + length], masks[m]))
                start += length
            local = self.local(torch.cat([self.bilinear[0](u[0], u[2]), self.bilinear[1](u[0], u[1]),
                                          self.bilinear[2](u[2], u[1])], dim=1))
            mix = torch.softmax(self.mix, dim=0)
            fused = mix[0] * global_ + mix[1] * local
        else:
            fused = self.plain(torch.cat([masked_mean(h[m], masks[m]) for m in MODALITIES] + [p_tv, p_ta], dim=1))
        out.update(self.head(fused))
        return out
