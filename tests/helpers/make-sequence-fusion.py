#!/usr/bin/python3
"""Writes a tiny fusion ONNX that takes frame sequences, for tests/integration/sequence-packs.test.ts.

  /usr/bin/python3 tests/helpers/make-sequence-fusion.py OUT.onnx VOCAB_SIZE AUDIO_DIMS VISUAL_DIMS

Inputs as the seed packs take them (batch 1, dynamic lengths): text_ids int64 [1, tokens],
audio_frames float32 [1, audio_frames, AUDIO_DIMS], visual_frames float32 [1, visual_frames,
VISUAL_DIMS], presence float32 [1, 3]. Outputs: score [1, 1], logits [1, 3], and three
[1, 3] "gates" that echo what the runtime fed (lengths, sum of |values|, presence), so a test
can see the feeds themselves. Weights are seeded and untrained; every frame moves the output
(mean + max pooling over frames), so feeding other frames changes the numbers.
"""
import sys

import torch
import torch.nn as nn


class TinySequenceFusion(nn.Module):
    def __init__(self, vocab_size, audio_dims, visual_dims):
        super().__init__()
        torch.manual_seed(20250607)
        self.embedding = nn.Embedding(vocab_size + 2, 4)
        self.audio = nn.Linear(audio_dims, 4)
        self.visual = nn.Linear(visual_dims, 4)
        self.head = nn.Linear(3 * 4 + 3, 4)

    def forward(self, text_ids, audio_frames, visual_frames, presence):
        text = torch.tanh(self.embedding(text_ids))
        audio = torch.tanh(self.audio(audio_frames * 0.02))  # raw log-mel / f0 values, scaled
        visual = torch.tanh(self.visual(visual_frames))
        pooled = [x.mean(dim=1) + 0.5 * x.amax(dim=1) for x in (text, audio, visual)]
        fused = torch.cat([p * presence[:, i:i + 1] for i, p in enumerate(pooled)] + [presence], dim=1)
        out = self.head(fused)
        score = 3.0 * torch.tanh(out[:, :1])
        logits = out[:, 1:]
        lengths = torch.cat([torch.ones_like(x[:, :, 0], dtype=torch.float32).sum(dim=1, keepdim=True)
                             for x in (text_ids.unsqueeze(-1), audio_frames, visual_frames)], dim=1)
        magnitude = torch.cat([text_ids.abs().to(torch.float32).sum(dim=1, keepdim=True),
                               audio_frames.abs().sum(dim=(1, 2)).unsqueeze(1),
                               visual_frames.abs().sum(dim=(1, 2)).unsqueeze(1)], dim=1)
        return score, logits, lengths, magnitude, presence * 1.0


def main():
    out, vocab_size, audio_dims, visual_dims = sys.argv[1], *map(int, sys.argv[2:5])
    model = TinySequenceFusion(vocab_size, audio_dims, visual_dims).eval()
    example = (torch.tensor([[2, 3, 1]], dtype=torch.int64), torch.randn(1, 7, audio_dims),
               torch.randn(1, 3, visual_dims), torch.ones(1, 3))
    names = ['text_ids', 'audio_frames', 'visual_frames', 'presence']
    with torch.no_grad():
        torch.onnx.export(model, example, out, input_names=names,
                          output_names=['score', 'logits', 'fed_lengths', 'fed_magnitude', 'fed_presence'],
                          dynamic_axes={'text_ids': {1: 'tokens'}, 'audio_frames': {1: 'audio_frames'},
                                        'visual_frames': {1: 'visual_frames'}},
                          opset_version=14, do_constant_folding=True)


if __name__ == '__main__':
    main()
