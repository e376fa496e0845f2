#!/usr/bin/python3
"""Writes a tiny fusion ONNX that reads encoder plug-in embeddings, for
tests/integration/plugin-pack.test.ts.

  /usr/bin/python3 tests/helpers/make-encoder-fusion.py OUT.onnx TEXT_DIMS AUDIO_DIMS VISUAL_DIMS

Inputs (batch 1): text_embedding float32 [1, TEXT_DIMS], audio_embedding [1, AUDIO_DIMS],
visual_embedding [1, VISUAL_DIMS], presence [1, 3]. Outputs: score [1, 1] and logits [1, 3].
Weights are seeded and untrained; every value of every embedding moves the output, so a
runtime feeding another embedding (or another pooling) gives other numbers.
"""
import sys

import torch
import torch.nn as nn


class TinyEncoderFusion(nn.Module):
    def __init__(self, text_dims, audio_dims, visual_dims):
        super().__init__()
        torch.manual_seed(20250611)
        self.text = nn.Linear(text_dims, 4)
        self.audio = nn.Linear(audio_dims, 4)
        self.visual = nn.Linear(visual_dims, 4)
        self.head = nn.Linear(3 * 4 + 3, 4)

    def forward(self, text_embedding, audio_embedding, visual_embedding, presence):
        parts = [torch.tanh(layer(x)) for layer, x in
                 ((self.text, text_embedding), (self.audio, audio_embedding), (self.visual, visual_embedding))]
        fused = torch.cat([p * presence[:, i:i + 1] for i, p in enumerate(parts)] + [presence], dim=1)
        out = self.head(fused)
        return 3.0 * torch.tanh(out[:, :1]), out[:, 1:]


def main():
    out, text_dims, audio_dims, visual_dims = sys.argv[1], *map(int, sys.argv[2:5])
    model = TinyEncoderFusion(text_dims, audio_dims, visual_dims).eval()
    example = (torch.randn(1, text_dims), torch.randn(1, audio_dims), torch.randn(1, visual_dims), torch.ones(1, 3))
    with torch.no_grad():
        torch.onnx.export(model, example, out,
                          input_names=['text_embedding', 'audio_embedding', 'visual_embedding', 'presence'],
                          output_names=['score', 'logits'], opset_version=14, do_constant_folding=True)


if __name__ == '__main__':
    main()
