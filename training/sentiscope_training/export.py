"""ONNX export of a seed model at batch 1 with dynamic sequence lengths.

Graph inputs: text_frames [1, text_frames, Dt], audio_frames [1, audio_frames, Da],
visual_frames [1, visual_frames, Dv], presence [1, 3]; outputs: score [1, 1], logits [1, 3] and
one output per gate (e.g. modality_gates [1, 3]). At batch 1 there is no batch padding, so the
padding masks are all ones and are built inside the graph from the inputs' shapes; an absent
modality is fed as one zero frame with presence 0 (any content works: presence masks it).
"""
import torch
import torch.nn as nn

from .data import MODALITIES

INPUT_NAMES = ['text_frames', 'audio_frames', 'visual_frames', 'presence']
OPSET = 14


class ExportWrapper(nn.Module):
    def __init__(self, model, gate_names):
        super().__init__()
        self.model = model
        self.gate_names = list(gate_names)

    def forward(self, text, audio, visual, presence):
        ones = [torch.ones_like(x[:, :, 0]) for x in (text, audio, visual)]
        out = self.model(text, audio, visual, *ones, presence)
        return tuple([out['score'], out['logits']] + [out['gates'][g] for g in self.gate_names])


def example_inputs(dims, lengths=(5, 7, 3)):
    return tuple(torch.randn(1, n, dims[m]) for n, m in zip(lengths, MODALITIES)) + (torch.ones(1, 3),)


def gate_names(model, dims):
    model.eval()
    with torch.no_grad():
        text, audio, visual, presence = example_inputs(dims)
        out = model(text, audio, visual, *[torch.ones_like(x[:, :, 0]) for x in (text, audio, visual)], presence)
    return sorted(out.get('gates', {}))


def export_onnx(model, path, opset=OPSET):
    """Writes `path`; returns {'inputs': [...], 'outputs': [...], 'gates': [...]}."""
    model.eval()
    dims = model.dims
    gates = gate_names(model, dims)
    outputs = ['score', 'logits'] + gates
    dynamic = {name: {1: name} for name in INPUT_NAMES[:3]}
    with torch.no_grad():
        torch.onnx.export(ExportWrapper(model, gates), example_inputs(dims), path, input_names=INPUT_NAMES,
                          output_names=outputs, dynamic_axes=dynamic, opset_version=opset, do_constant_folding=True)
    return {'inputs': INPUT_NAMES, 'outputs': outputs, 'gates': gates}
