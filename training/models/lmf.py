"""Low-rank Multimodal Fusion (Liu et al., ACL 2018).

Same modality subnetworks as TFN (training/models/tfn.py). The fusion tensor W of TFN is
replaced by a rank-r decomposition: h = sum_i^r w_i * prod_m ([z_m; 1] W_m^(i)) + b, computed
without ever forming the outer product; h -> output head (3 logits + raw score).
"""
import torch
import torch.nn as nn

from .common import OutputHead, SeedModel
from .tfn import SubNetworks, with_one


class LMF(SeedModel):
    architecture = 'lmf'

    def __init__(self, dims, d_model=64, d_sub=16, rank=4, d_fused=32, hidden=64, dropout=0.1):
        super().__init__(dims, d_model, dropout)
        self.sub = SubNetworks(d_model, d_sub, dropout)
        # Modality-specific low-rank factors W_m^(i): [rank, d_sub + 1, d_fused].
        self.factors = nn.ParameterList([nn.Parameter(torch.empty(rank, d_sub + 1, d_fused)) for _ in range(3)])
        for f in self.factors:
            nn.init.xavier_normal_(f)
        self.rank_weights = nn.Parameter(torch.empty(1, rank))
        nn.init.xavier_normal_(self.rank_weights)
        self.fusion_bias = nn.Parameter(torch.zeros(1, d_fused))
        self.head = OutputHead(d_fused, hidden, dropout)

    def fuse(self, x, masks, presence):
        zs = [with_one(z) for z in self.sub(self.projected(x), masks, presence)]
        product = None
        for z, factor in zip(zs, self.factors):
            part = torch.matmul(z.unsqueeze(0), factor)  # [rank, B, d_fused]
            product = part if product is None else product * part
        fused = torch.matmul(self.rank_weights, product.permute(1, 0, 2)).squeeze(1) + self.fusion_bias  # [B, d_fused]
        return self.head(fused)
