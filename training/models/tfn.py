"""Tensor Fusion Network (Zadeh et al., EMNLP 2017), on frame sequences.

- Modality embedding subnetworks: text -> LSTM over the frames, the hidden state at the last
  real frame -> MLP ("Language Embedding Subnetwork"); audio and visual -> masked mean over
  frames -> 3-layer MLP (the paper's "Acoustic/Visual Embedding Subnetworks" average frames too).
- Tensor fusion layer: z^m = [z_m; 1]; Z = z^t (x) z^a (x) z^v (3-fold outer product), which keeps
  the unimodal, bimodal and trimodal interactions; flattened -> "Sentiment Inference Subnetwork"
  (MLP) -> 3 logits + raw score.
Absent modality: z_m = 0, so only the interactions of the present modalities remain (the
constant 1 of the absent one carries them).
"""
import torch
import torch.nn as nn

from .common import MODALITIES, OutputHead, SeedModel, masked_mean


def mlp(d_in, d_out, dropout):
    return nn.Sequential(nn.Dropout(dropout), nn.Linear(d_in, d_out), nn.ReLU(), nn.Linear(d_out, d_out), nn.ReLU(),
                         nn.Linear(d_out, d_out), nn.ReLU())


class SubNetworks(nn.Module):
    """The per-modality embedding subnetworks shared by TFN and LMF."""

    def __init__(self, d_model, d_sub, dropout):
        super().__init__()
        self.lstm = nn.LSTM(d_model, d_model, batch_first=True)
        self.text_out = nn.Sequential(nn.Dropout(dropout), nn.Linear(d_model, d_sub), nn.ReLU())
        self.audio = mlp(d_model, d_sub, dropout)
        self.visual = mlp(d_model, d_sub, dropout)

    def forward(self, h, masks, presence):
        states, _ = self.lstm(h['text'])  # padding is at the end, so earlier states never see it
        last = (masks['text'].sum(dim=1) - 1).clamp(min=0).to(torch.int64)  # [B]
        index = last.view(-1, 1, 1).expand(-1, 1, states.shape[-1])
        z_t = self.text_out(torch.gather(states, 1, index).squeeze(1))
        z_a = self.audio(masked_mean(h['audio'], masks['audio']))
        z_v = self.visual(masked_mean(h['visual'], masks['visual']))
        z = [z_t, z_a, z_v]
        # Presence zeroes an absent modality's embedding (its subnetwork still sees zeros).
        return [z[k] * presence[:, k:k + 1] for k in range(3)]


def with_one(z):
    return torch.cat([z, torch.ones_like(z[:, :1])], dim=1)


class TFN(SeedModel):
    architecture = 'tfn'

    def __init__(self, dims, d_model=64, d_sub=16, hidden=64, dropout=0.1):
        super().__init__(dims, d_model, dropout)
        self.sub = SubNetworks(d_model, d_sub, dropout)
        self.head = OutputHead((d_sub + 1) ** 3, hidden, dropout)

    def fuse(self, x, masks, presence):
        z_t, z_a, z_v = (with_one(z) for z in self.sub(self.projected(x), masks, presence))
        tensor = z_t[:, :, None, None] * z_a[:, None, :, None] * z_v[:, None, None, :]
        return self.head(tensor.flatten(start_dim=1))
