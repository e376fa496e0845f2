"""Late fusion baseline over frame sequences (decision-level fusion).

Each modality on its own: projection -> masked mean pooling over frames -> MLP -> 3 logits +
1 raw score. The decisions are averaged with presence-masked softmax weights
w_m = p_m exp(a_m) / sum_k p_k exp(a_k) (learned a); score = 3 tanh(sum_m w_m raw_m). With no
modality present a learned bias stands in. Gate: `modality_weights` [B, 3] (the w, in [0, 1]).
This is late-fusion-v1's fusion rule (training/late_fusion.py) moved onto sequences.
"""
import torch
import torch.nn as nn

from .common import MODALITIES, SeedModel, any_valid, masked_mean


class LateFusion(SeedModel):
    architecture = 'late-fusion'

    def __init__(self, dims, d_model=64, hidden=64, dropout=0.1):
        super().__init__(dims, d_model, dropout)
        self.branch = nn.ModuleDict({m: nn.Sequential(nn.Linear(d_model, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, 4))
                                     for m in MODALITIES})
        self.modality_logit = nn.Parameter(torch.zeros(3))
        self.absent_bias = nn.Parameter(torch.zeros(4))

    def fuse(self, x, masks, presence):
        h = self.projected(x)
        outs = torch.stack([self.branch[m](masked_mean(h[m], masks[m])) for m in MODALITIES], dim=1)  # [B, 3, 4]
        # A modality is usable when present and with at least one frame.
        usable = torch.cat([any_valid(masks[m]) for m in MODALITIES], dim=1) * presence
        raw = usable * torch.exp(self.modality_logit)
        weights = raw / raw.sum(dim=1, keepdim=True).clamp(min=1e-12)
        fused = (weights.unsqueeze(-1) * outs).sum(dim=1)
        anything = any_valid(usable)
        fused = anything * fused + (1.0 - anything) * self.absent_bias
        return {'score': 3.0 * torch.tanh(fused[:, 3:4]), 'logits': fused[:, :3], 'gates': {'modality_weights': weights}}
