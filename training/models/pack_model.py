"""A seed architecture as a shippable pack model: token ids and raw extractor frames in.

[Note: seed pack model]
    SeedPackModel(text_ids [B, Lt] int64, audio [B, La, 57], visual [B, Lv, 9],
                  audio_mask [B, La], visual_mask [B, Lv], presence [B, 3]) -> the seed interface's dict
- Text: token ids (tokenizer v2; vocabulary id = 2 + line of vocab.txt, pad 0, unknown 1) ->
  frozen GloVe or trained vectors -> a trained projection, all INSIDE the model ([Note: seed
  text embedding], models/glove_text.py), so the pack reads `text.token_ids`; the text mask is
  ids != 0, so the runtime's zero padding up to maxTokens (and an absent text's single 0)
  changes nothing.
- Audio: the raw acoustic frames (100 per second) are average-pooled by a fixed factor INSIDE
  the model (masked: padding and the trailing partial window count only their real frames),
  so the ONNX graph takes the frames exactly as the extractor writes them.
- Visual: the raw visual frames (one per sampled frame, 5 per second; one per image).
The wrapped architecture (training/models, [Note: seed model interface]) standardizes, folds
presence into the masks and fuses; text standardization stays the identity (the projection is
trained). Its ONNX export (batch 1, dynamic lengths; inputs text_ids, audio_frames, visual_frames,
presence) is export_pack_onnx in sentiscope_training/export.py.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import build
from .glove_text import GloveEmbedding

class FramePool(nn.Module):
    """Masked average pooling over time by a fixed factor: [B, L, D] -> [B, ceil(L / k), D]."""

    def __init__(self, factor):
        super().__init__()
        self.factor = int(factor)

    def forward(self, x, mask):
        k = self.factor
        if k <= 1:
            return x, mask
        # Pad k - 1 zero frames (mask 0) so floor pooling covers the partial last window.
        xm = F.pad((x * mask.unsqueeze(-1)).transpose(1, 2), (0, k - 1))
        m = F.pad(mask.unsqueeze(1), (0, k - 1))
        total = F.avg_pool1d(xm, k, k)  # [B, D, L']
        count = F.avg_pool1d(m, k, k)  # [B, 1, L'] (fraction of real frames)
        pooled = total / count.clamp(min=1e-6)
        return pooled.transpose(1, 2), (count.squeeze(1) > 0).to(x.dtype)


class SeedPackModel(nn.Module):
    def __init__(self, arch, learned, glove_vectors, text_dim=64, audio_dim=57, visual_dim=9, audio_pool=10, **options):
        """learned: the vocabulary's learned-token count; glove_vectors: its GloVe block [n, 100]."""
        super().__init__()
        self.arch = arch
        self.embedding = GloveEmbedding(learned, glove_vectors, text_dim)
        self.audio_pool = FramePool(audio_pool)
        self.core = build(arch, {'text': text_dim, 'audio': audio_dim, 'visual': visual_dim}, **options)
        self.dims = {'text': text_dim, 'audio': audio_dim, 'visual': visual_dim}

    def set_normalization(self, stats):
        """stats: {'audio': (mean, std), 'visual': (mean, std)} over raw present training frames."""
        self.core.set_normalization(stats)

    def forward(self, text_ids, audio, visual, audio_mask, visual_mask, presence):
        text_mask = (text_ids != 0).to(torch.float32)
        text = self.embedding(text_ids)
        audio, audio_mask = self.audio_pool(audio, audio_mask)
        return self.core(text, audio, visual, text_mask, audio_mask, visual_mask, presence)

    def loss(self, out, batch):
        return self.core.loss(out, batch)
