"""FD-CMDIE: feature decoupling + cross-modal deep interaction enhancement.

Blocks (ablation flags: use_contrastive = "w/o contrastive loss", use_gap = "w/o gated attention
pooling", use_second_cross = "w/o second cross-attention"):

1. Feature decoupling. Each modality's projected frames h_m go through ONE shared similarity
   encoder E_s and its OWN private encoder E_p^m, each LayerNorm -> Linear -> Tanh -> Dropout:
   s_m = E_s(h_m) (what the modalities share), p_m = E_p^m(h_m) (what is specific to m).
   The global similarity feature G is the concatenation of s_t, s_a, s_v along time (masked).
2. DIPU (deep interaction processing unit), k stacked, one per modality per layer, between G and
   each private feature:  q = p_m
       q = LN(q + CrossAttn(q, G))       cross-attention: private queries, global similarity keys
       q = LN(q + SelfAttn(q, q))        self-attention within the modality
       q = LN(q + CrossAttn2(q, h_m))    second cross-attention against the original inputs
       q = LN(q + FFN(q))
3. Gated attention pooling (GAP), after every DIPU layer: per modality an attention pooling
   u_m = sum_t softmax_t(w^T tanh(W q_t)) q_t and a sigmoid gate g_m = sigma(v^T u_m) in [0, 1];
   z = sum_m g_m u_m over the modalities with frames; z is added to every frame of G before the
   next layer. Exported gate: `modality_gates` [B, 3] (the last layer's g_m, 0 where absent).
   w/o GAP: u_m = masked mean, g_m = 1.
   Output: head([z_last; mean(G)]) -> 3 logits + score = 3 tanh(raw).
4. Loss (FDCMDIELoss): MAE(score) + lambda_cl * L_cl, with
   L_cl = NT-Xent over in-sample pairs (the present modalities' pooled similarity features of
          one sample are positives of each other, other samples' are negatives)
        + NT-Xent over cross-sample pairs (for each sample, its k_cl MOST similar samples with the
          same label are positives and its k_cl LEAST similar samples with another label are
          negatives; similarity = cosine of the samples' mean similarity features)
        + lambda_tri * triplet loss with the TEXT similarity feature as anchor (positives: the
          sample's audio/visual similarity features and its cross-sample positives; negatives:
          its cross-sample negatives), cosine distance, margin.
   Sentiscope adds cross-entropy on the 3 classes (the interface's logits must be trained too)
   and the proxy-score convention of late-fusion-v1 for class-only rows (common.supervised_loss).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .common import (MASKED, MODALITIES, FeedForward, MaskedMultiheadAttention, OutputHead, SeedModel, any_valid,
                     masked_mean, supervised_loss)


def encoder(d_model, dropout):
    """The decoupling encoders: LayerNorm -> Linear -> Tanh -> Dropout."""
    return nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, d_model), nn.Tanh(), nn.Dropout(dropout))


class DIPU(nn.Module):
    """Cross-attention to G, self-attention, second cross-attention to the original inputs, FFN."""

    def __init__(self, d_model, heads, dropout, use_second_cross):
        super().__init__()
        self.use_second_cross = use_second_cross
        self.cross = MaskedMultiheadAttention(d_model, heads, dropout)
        self.self_attn = MaskedMultiheadAttention(d_model, heads, dropout)
        self.cross2 = MaskedMultiheadAttention(d_model, heads, dropout) if use_second_cross else None
        self.ffn = FeedForward(d_model, 2 * d_model, dropout)
        self.norms = nn.ModuleList([nn.LayerNorm(d_model) for _ in range(4)])
        self.drop = nn.Dropout(dropout)

    def forward(self, q, mask, g, g_mask, original):
        q = self.norms[0](q + self.drop(self.cross(q, g, g_mask)))
        q = self.norms[1](q + self.drop(self.self_attn(q, q, mask)))
        if self.use_second_cross:
            q = self.norms[2](q + self.drop(self.cross2(q, original, mask)))
        return self.norms[3](q + self.drop(self.ffn(q)))


class GatedAttentionPooling(nn.Module):
    """Per modality: softmax attention pooling over frames + a sigmoid gate on the pooled vector."""

    def __init__(self, d_model):
        super().__init__()
        self.score = nn.ModuleList([nn.Sequential(nn.Linear(d_model, d_model), nn.Tanh(), nn.Linear(d_model, 1))
                                    for _ in MODALITIES])
        self.gate = nn.ModuleList([nn.Linear(d_model, 1) for _ in MODALITIES])

    def forward(self, q, masks):
        pooled, gates = [], []
        for k, m in enumerate(MODALITIES):
            a = self.score[k](q[m]).squeeze(-1) + (1.0 - masks[m]) * MASKED  # [B, L]
            w = torch.softmax(a, dim=1) * any_valid(masks[m])
            u = (w.unsqueeze(-1) * q[m]).sum(dim=1)
            pooled.append(u)
            gates.append(torch.sigmoid(self.gate[k](u)) * any_valid(masks[m]))
        return pooled, torch.cat(gates, dim=1)  # list of [B, d], [B, 3]


class FDCMDIE(SeedModel):
    architecture = 'fd-cmdie'

    def __init__(self, dims, d_model=64, heads=4, layers=2, hidden=64, dropout=0.1,
                 use_contrastive=True, use_gap=True, use_second_cross=True):
        super().__init__(dims, d_model, dropout)
        self.use_contrastive, self.use_gap, self.use_second_cross = use_contrastive, use_gap, use_second_cross
        self.shared = encoder(d_model, dropout)
        self.private = nn.ModuleDict({m: encoder(d_model, dropout) for m in MODALITIES})
        self.units = nn.ModuleList([nn.ModuleDict({m: DIPU(d_model, heads, dropout, use_second_cross) for m in MODALITIES})
                                    for _ in range(layers)])
        self.pool = nn.ModuleList([GatedAttentionPooling(d_model) for _ in range(layers)]) if use_gap else None
        self.head = OutputHead(2 * d_model, hidden, dropout)

    def fuse(self, x, masks, presence):
        h = self.projected(x)
        h = {m: h[m] * masks[m].unsqueeze(-1) for m in MODALITIES}
        s = {m: self.shared(h[m]) for m in MODALITIES}
        q = {m: self.private[m](h[m]) for m in MODALITIES}
        g = torch.cat([s[m] for m in MODALITIES], dim=1)
        g_mask = torch.cat([masks[m] for m in MODALITIES], dim=1)
        usable = torch.cat([any_valid(masks[m]) for m in MODALITIES], dim=1)  # [B, 3]
        z, gates = None, usable
        for k, unit in enumerate(self.units):
            q = {m: unit[m](q[m], masks[m], g, g_mask, h[m]) for m in MODALITIES}
            if self.use_gap:
                pooled, gates = self.pool[k](q, masks)
            else:
                pooled = [masked_mean(q[m], masks[m]) for m in MODALITIES]
            z = sum(gates[:, i:i + 1] * pooled[i] for i in range(3))
            g = g + z.unsqueeze(1)
        out = self.head(torch.cat([z, masked_mean(g, g_mask)], dim=1))
        if self.use_gap:
            out['gates'] = {'modality_gates': gates}
        # Pooled similarity features for the contrastive loss (training only; not exported).
        out['aux'] = {'similarity': torch.stack([masked_mean(s[m], masks[m]) for m in MODALITIES], dim=1), 'usable': usable}
        return out

    def loss(self, out, batch):
        return FDCMDIELoss(use_contrastive=self.use_contrastive)(out, batch)


def select_cross_sample_pairs(embedding, labels, k):
    """Cross-sample pairs of FD-CMDIE. embedding [B, d] (L2-normalised inside), labels [B] (-1 =
    unlabelled, never paired). Returns bool [B, B] positives (each anchor's k most similar samples
    with its label) and negatives (its k least similar samples with another label)."""
    e = F.normalize(embedding, dim=1)
    sim = e @ e.t()
    b = labels.shape[0]
    pos = torch.zeros(b, b, dtype=torch.bool)
    neg = torch.zeros(b, b, dtype=torch.bool)
    for i in range(b):
        if labels[i] < 0:
            continue
        same = (labels == labels[i]) & (torch.arange(b) != i)
        other = (labels != labels[i]) & (labels >= 0)
        if same.any():
            cand = torch.nonzero(same).squeeze(1)
            pos[i, cand[torch.argsort(sim[i, cand], descending=True)[:k]]] = True
        if other.any():
            cand = torch.nonzero(other).squeeze(1)
            neg[i, cand[torch.argsort(sim[i, cand])[:k]]] = True
    return pos, neg


def nt_xent(anchors, candidates, pos, neg, tau):
    """Mean over positive pairs (i, j) of -log(e^{l_ij} / (e^{l_ij} + sum_{n in neg_i} e^{l_in})),
    l = cosine / tau. anchors [N, d], candidates [M, d], pos/neg bool [N, M]."""
    if not bool(pos.any()):
        return anchors.sum() * 0
    logits = F.normalize(anchors, dim=1) @ F.normalize(candidates, dim=1).t() / tau
    neg_lse = torch.logsumexp(torch.where(neg, logits, torch.full_like(logits, MASKED)), dim=1, keepdim=True)
    per_pair = torch.logaddexp(logits, neg_lse) - logits
    return per_pair[pos].mean()


def triplet(anchors, candidates, pos, neg, margin):
    """Mean over (i, p, n) with pos[i, p] and neg[i, n] of relu(d(i, p) - d(i, n) + margin), cosine distance."""
    if not bool((pos.any(dim=1) & neg.any(dim=1)).any()):
        return anchors.sum() * 0
    d = 1.0 - F.normalize(anchors, dim=1) @ F.normalize(candidates, dim=1).t()  # [N, M]
    terms = F.relu(d.unsqueeze(2) - d.unsqueeze(1) + margin)  # [N, P, Nn]
    valid = pos.unsqueeze(2) & neg.unsqueeze(1)
    return terms[valid].mean()


class FDCMDIELoss(nn.Module):
    def __init__(self, lambda_cl=0.1, lambda_tri=0.5, k_cl=2, tau=0.5, margin=0.2, use_contrastive=True):
        super().__init__()
        self.lambda_cl, self.lambda_tri, self.k_cl, self.tau, self.margin = lambda_cl, lambda_tri, k_cl, tau, margin
        self.use_contrastive = use_contrastive

    def contrastive(self, similarity, usable, labels):
        """similarity [B, 3, d] pooled per-modality similarity features, usable [B, 3]."""
        b = similarity.shape[0]
        present = usable > 0
        flat = similarity.reshape(b * 3, -1)
        flat_present = present.reshape(-1)
        sample = torch.arange(b).repeat_interleave(3)
        # In-sample: same sample, different (present) modality = positive; other samples = negative.
        same_sample = sample.unsqueeze(1) == sample.unsqueeze(0)
        both = flat_present.unsqueeze(1) & flat_present.unsqueeze(0)
        eye = torch.eye(b * 3, dtype=torch.bool)
        in_pos = same_sample & both & ~eye
        in_neg = ~same_sample & both
        l_in = nt_xent(flat, flat, in_pos, in_neg, self.tau)
        # Cross-sample: one vector per sample (mean of its present similarity features).
        weights = usable.unsqueeze(-1)
        sample_vec = (similarity * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        has_any = present.any(dim=1)
        pair_labels = torch.where(has_any, labels, torch.full_like(labels, -1))
        pos, neg = select_cross_sample_pairs(sample_vec.detach(), pair_labels, self.k_cl)
        l_cross = nt_xent(sample_vec, sample_vec, pos, neg, self.tau)
        # Triplet, text similarity feature as anchor.
        text_ok = present[:, 0]
        candidates = torch.cat([similarity[:, 1], similarity[:, 2], sample_vec], dim=0)  # [3B, d]
        own = torch.eye(b, dtype=torch.bool)
        t_pos = torch.cat([own & present[:, 1].unsqueeze(0), own & present[:, 2].unsqueeze(0), pos], dim=1) & text_ok.unsqueeze(1)
        t_neg = torch.cat([torch.zeros(b, 2 * b, dtype=torch.bool), neg], dim=1) & text_ok.unsqueeze(1)
        l_tri = triplet(similarity[:, 0], candidates, t_pos, t_neg, self.margin)
        return l_in + l_cross + self.lambda_tri * l_tri, {'in_sample': l_in, 'cross_sample': l_cross, 'triplet': l_tri}

    def forward(self, out, batch):
        parts = supervised_loss(out, batch)
        if self.use_contrastive:
            l_cl, detail = self.contrastive(out['aux']['similarity'], out['aux']['usable'], batch['cls'])
            parts['loss'] = parts['loss'] + self.lambda_cl * l_cl
            parts.update(cl=l_cl, **detail)
        return parts
