"""A seed architecture as a shippable pack model: token ids and raw extractor frames in.

[Note: seed pack model]
    SeedPackModel(text_ids [B, Lt] int64, audio [B, La, 57], visual [B, Lv, 9],
                  audio_mask [B, La], visual_mask [B, Lv], presence [B, 3]) -> the seed interface's dict
- Text: token ids (vocabulary id = 2 + line of vocab.txt, pad 0, unknown 1) -> token frames
  INSIDE the model: since 3.0.0 the default pack's frozen token encoder ([Note: seed text from
  the default pack], models/pack_text.py; tokenizer v3), in 2.x frozen GloVe or trained vectors
  with a trained projection ([Note: seed text embedding], models/glove_text.py). The pack reads
  `text.token_ids`; the text mask is ids != 0, so the runtime's zero padding up to maxTokens (and
  an absent text's single 0) changes nothing.
- Audio: the raw acoustic frames (100 per second) -> active, utterance-relative frames ([Note:
  seed active frames]) -> average-pooled by a fixed factor INSIDE the model (masked: padding,
  inactive frames and the trailing partial window count only their real frames), so the ONNX
  graph takes the frames exactly as the extractor writes them.
- Visual: the raw visual frames (one per sampled frame, 5 per second; one per image) -> what the
  face shows, a neutral face equal to no face ([Note: seed expression frames]).
The wrapped architecture (training/models, [Note: seed model interface]) standardizes, folds
presence into the masks and fuses; text standardization stays the identity (the projection is
trained). Its ONNX export (batch 1, dynamic lengths; inputs text_ids, audio_frames, visual_frames,
presence) is export_pack_onnx in sentiscope_training/export.py.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import build

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


# Acoustic frame columns (the acoustic recipe's frame order).
LOGMEL_MFCC = slice(0, 53)  # 40 log-mel bins, 13 MFCC
F0, VOICING, ENERGY, ZCR = 53, 54, 55, 56
ACTIVE_RANGE = 3.0 * math.log(10.0)  # 30 dB in log_energy's natural-log power units


class ActiveFrames(nn.Module):
    """[Note: seed active frames] The sequence form of late-fusion-v1's recording-invariant audio
    ([Note: recording-invariant audio], [Note: active frames]): only frames within 30 dB of the
    utterance's loudest count (not the silence or room tone around the voice), and each frame is
    expressed against its own utterance: log-mel and MFCC minus their mean over the active frames
    (cepstral mean normalisation: the studio's tilt and the gain go), log energy minus the
    loudest frame's, f0 as log(f0 / the utterance's mean voiced f0) (0 when unvoiced); voicing and
    zero-crossing rate as they are. [B, L, 57] -> ([B, L, 57], active mask [B, L])."""

    def forward(self, x, mask):
        energy = x[:, :, ENERGY]
        loudest = (energy + (mask - 1.0) * 1e4).max(dim=1, keepdim=True).values
        active = mask * (energy >= loudest - ACTIVE_RANGE).to(x.dtype)
        count = active.sum(dim=1, keepdim=True).clamp(min=1.0)
        spectral = x[:, :, LOGMEL_MFCC]
        spectral = spectral - (spectral * active.unsqueeze(-1)).sum(dim=1, keepdim=True) / count.unsqueeze(-1)
        f0 = x[:, :, F0]
        voiced = active * (f0 > 0).to(x.dtype)
        mean_f0 = (f0 * voiced).sum(dim=1, keepdim=True) / voiced.sum(dim=1, keepdim=True).clamp(min=1.0)
        pitch = voiced * torch.log(f0.clamp(min=30.0) / mean_f0.clamp(min=30.0))
        out = torch.cat([spectral, pitch.unsqueeze(-1), x[:, :, VOICING:VOICING + 1], (energy - loudest).unsqueeze(-1),
                         x[:, :, ZCR:ZCR + 1]], dim=2)
        return out * active.unsqueeze(-1), active


# The expression net's labels in the visual frame (column 0 is `face`, 8 `face_score`).
EXPRESSIONS = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']
NEGATIVE_EXPRESSIONS = [EXPRESSIONS.index(e) for e in ('angry', 'disgust', 'fear', 'sad')]
EXPRESSION_FEATURES = 7


class ExpressionFrames(nn.Module):
    """[Note: seed expression frames] Visual frames as what the face shows, with a neutral face
    equal to no face: face x (the six non-neutral expression probabilities, and valence = happy
    minus angry, disgust, fear, sad; [Note: expression valence]). A fully neutral face is the zero
    vector, as is a frame without a face, so face presence alone carries nothing into the
    architecture's input (standardization keeps 0 at 0: scale only, set by train_seed).
    [B, L, 9] -> [B, L, 7]."""

    def forward(self, x):
        face, probs = x[:, :, 0:1], x[:, :, 1:8]
        valence = probs[:, :, 3:4] - probs[:, :, NEGATIVE_EXPRESSIONS].sum(dim=2, keepdim=True)
        return face * torch.cat([probs[:, :, 0:6], valence], dim=2)


OOD_QUANTILE = 0.99


def unknown_share(text_ids):
    """Share of a row's real tokens (id != 0) that are unknown (id 1) [B]."""
    real = (text_ids != 0).to(torch.float32).sum(1)
    return (text_ids == 1).to(torch.float32).sum(1) / real.clamp(min=1.0)


class InputRange(nn.Module):
    """[Note: seed out-of-range] Per modality, whether a row's input lies outside what the pack
    was trained on, as late-fusion-v1 does it ([Note: out-of-range shrinkage], late_fusion.py):
    the mean squared standardized distance of the row's mean input frame (text: the encoder's
    token features; audio: the active, pooled frames; visual: the expression frames) from the
    training rows, above the 99th percentile of the training rows where that modality is present;
    text is also out of range when more of its tokens are unknown than in 99 % of the training
    rows (at least half). Only flags: nothing here changes the score or the logits. Constants fitted
    after training (train_seed.fit_input_range); until then (1e9) nothing is flagged."""

    def __init__(self, dims):
        super().__init__()
        for m in ('text', 'audio', 'visual'):
            self.register_buffer(f'{m}_mean', torch.zeros(dims[m]))
            self.register_buffer(f'{m}_std', torch.ones(dims[m]))
        self.register_buffer('threshold', torch.full((3,), 1e9))
        self.register_buffer('unknown_threshold', torch.tensor(1.0))

    @staticmethod
    def row_mean(x, mask):
        m = mask.unsqueeze(-1)
        return (x * m).sum(dim=1) / m.sum(dim=1).clamp(min=1.0)

    def distances_of_means(self, means):
        """means: {modality: [B, D] row-mean frames} -> [B, 3]."""
        out = []
        for m in ('text', 'audio', 'visual'):
            z = (means[m] - getattr(self, f'{m}_mean')) / getattr(self, f'{m}_std')
            out.append((z * z).mean(dim=1))
        return torch.stack(out, dim=1)

    def forward(self, text_ids, frames, masks, presence):
        far = self.distances_of_means({m: self.row_mean(frames[m], masks[m]) for m in frames}) > self.threshold
        unknown = unknown_share(text_ids) > self.unknown_threshold
        far = torch.cat([far[:, :1] | unknown.unsqueeze(1), far[:, 1:]], dim=1)
        return presence * far.to(torch.float32)


class SeedPackModel(nn.Module):
    def __init__(self, arch, text_encoder, text_dim, audio_dim=57, visual_dim=9, audio_pool=10, **options):
        """text_encoder: token ids [B, L] -> [B, L, text_dim] (PackTextEncoder, or the 2.x GloveEmbedding)."""
        super().__init__()
        self.arch = arch
        self.embedding = text_encoder
        self.active = ActiveFrames()
        self.expression = ExpressionFrames()
        self.audio_pool = FramePool(audio_pool)
        self.core = build(arch, {'text': text_dim, 'audio': audio_dim, 'visual': EXPRESSION_FEATURES}, **options)
        self.dims = {'text': text_dim, 'audio': audio_dim, 'visual': visual_dim}  # the graph's raw input widths
        # [Note: seed temperature] One temperature on the class logits, fitted on the dev sets after
        # training (train_seed.fit_temperature); 1 while training. The score is not changed by it.
        self.register_buffer('log_temperature', torch.zeros(()))
        self.range = InputRange({'text': text_dim, 'audio': audio_dim, 'visual': EXPRESSION_FEATURES})

    def set_normalization(self, stats):
        """stats: {'audio': (mean, std), 'visual': (mean, std)} over transformed present training frames."""
        self.core.set_normalization(stats)

    def audio_frames(self, audio, audio_mask):
        """Raw acoustic frames -> the active, utterance-relative frames the architecture reads, pooled."""
        audio, active = self.active(audio, audio_mask)
        return self.audio_pool(audio, active)

    def inputs(self, text_ids, audio, visual, audio_mask, visual_mask):
        """What the architecture reads: ({modality: frames}, {modality: mask})."""
        audio, audio_mask = self.audio_frames(audio, audio_mask)
        frames = {'text': self.embedding(text_ids), 'audio': audio, 'visual': self.expression(visual)}
        return frames, {'text': (text_ids != 0).to(torch.float32), 'audio': audio_mask, 'visual': visual_mask}

    def forward(self, text_ids, audio, visual, audio_mask, visual_mask, presence):
        x, masks = self.inputs(text_ids, audio, visual, audio_mask, visual_mask)
        out = self.core(x['text'], x['audio'], x['visual'], masks['text'], masks['audio'], masks['visual'], presence)
        if not self.training:
            out = {**out, 'logits': out['logits'] / torch.exp(self.log_temperature),
                   'ood': self.range(text_ids, x, masks, presence)}
        return out

    def loss(self, out, batch):
        return self.core.loss(out, batch)
