"""ONNX export of the fusion models, each at batch 1 with dynamic sequence lengths.

- late-fusion-v1 (training/late_fusion.py): token_ids [1, tokens], lexicon [1, 11],
  audio_statistics [1, Da], visual_statistics [1, Dv], presence [1, 3] -> score, logits, ood.
- A seed pack model (models/pack_model.py, [Note: seed pack model]): token ids and raw
  extractor frames in, as the shipped <arch>-seed-v1 packs take them (export_pack_onnx).
- A seed architecture on frames (export_onnx, the smoke run's graphs):

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


class LateFusionExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, token_ids, lexicon, audio_statistics, visual_statistics, presence):
        return self.model(token_ids, lexicon, audio_statistics, visual_statistics, presence)


def export_late_fusion_onnx(model, path, max_tokens, dims):
    model.eval()
    wrapper = LateFusionExport(model)
    example = (
        torch.ones(1, 8, dtype=torch.int64), torch.zeros(1, 11), torch.zeros(1, dims['audio']),
        torch.zeros(1, dims['visual']), torch.ones(1, 3),
    )
    torch.onnx.export(
        wrapper, example, path, opset_version=13,
        input_names=['token_ids', 'lexicon', 'audio_statistics', 'visual_statistics', 'presence'],
        output_names=['score', 'logits', 'ood'],
        dynamic_axes={'token_ids': {1: 'tokens'}},
        do_constant_folding=True,
    )
    import onnx
    m = onnx.load(path)
    onnx.checker.check_model(m)


PACK_INPUTS = ['text_ids', 'audio_frames', 'visual_frames', 'presence']


class PackExport(nn.Module):
    """Batch 1: the frame masks are all ones (no padding); an absent modality is one zero frame."""

    def __init__(self, model, gate_names):
        super().__init__()
        self.model = model
        self.gate_names = list(gate_names)

    def forward(self, text_ids, audio, visual, presence):
        out = self.model(text_ids, audio, visual, torch.ones_like(audio[:, :, 0]), torch.ones_like(visual[:, :, 0]), presence)
        return tuple([out['score'], out['logits']] + [out['gates'][g] for g in self.gate_names] +
                     ([out['ood']] if 'ood' in out else []))


def pack_example_inputs(model, lengths=(6, 23, 3)):
    d = model.dims
    return (torch.randint(2, 50, (1, lengths[0]), dtype=torch.int64), torch.randn(1, lengths[1], d['audio']),
            torch.randn(1, lengths[2], d['visual']), torch.ones(1, 3))


def export_pack_onnx(model, path):
    """Writes `path`; returns {'inputs', 'outputs', 'gates'}."""
    model.eval()
    ex = pack_example_inputs(model)
    with torch.no_grad():
        out = model(ex[0], ex[1], ex[2], torch.ones(1, ex[1].shape[1]), torch.ones(1, ex[2].shape[1]), ex[3])
        gates = sorted(out.get('gates', {}))
        outputs = ['score', 'logits'] + gates + (['ood'] if 'ood' in out else [])
        dynamic = {'text_ids': {1: 'tokens'}, 'audio_frames': {1: 'audio_frames'}, 'visual_frames': {1: 'visual_frames'}}
        torch.onnx.export(PackExport(model, gates), ex, path, input_names=PACK_INPUTS, output_names=outputs,
                          dynamic_axes=dynamic, opset_version=OPSET, do_constant_folding=True)
    return {'inputs': PACK_INPUTS, 'outputs': outputs, 'gates': gates}
