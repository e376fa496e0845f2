"""The seed packs' text side: a vocabulary of the training tokens and GloVe token embeddings.

[Note: seed text embedding]
- Vocabulary (`SeedVocabulary`, the pack's vocab.txt: id = 2 + line, pad 0, unknown 1) in two
  blocks: learned tokens (training tokens GloVe lacks, seen at least min_count times: "didnt",
  emoticons, emoji), then GloVe words (every training token GloVe has, then the most frequent
  other GloVe words up to `extra_glove`, so that a word no training sentence used still has a
  meaning and the pack stays a few MB).
- Embedding (`GloveEmbedding`): a GloVe word reads its 6B 100-d vector, frozen (an fp16 buffer
  in the graph, not a parameter); every other id a trained 100-d vector; both go through one
  trained projection to the model width, plus a width-3 convolution (residual, GELU) so each
  token frame sees its neighbours ("not good", "didnt like") before the architecture fuses, and
  a trained weight per token (init 1) so that frequent words that carry no sentiment ("the", ",")
  can fade out of mean-pooled architectures while their GloVe vector stays frozen. GloVe vectors
  are scaled by 1/4 to about a trained embedding's size (at full scale LMF's product of factors
  overflowed to NaN within 300 steps).
  Padding frames are zeroed before the convolution, so a real frame's output does not depend on
  how much padding follows (the runtime pads to maxTokens). Same vector layout as late-fusion-v1's
  text branch (its Vocabulary / TextBranch), English only (the seed packs read no Chinese).
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from sentiscope_training.glove import GLOVE_DIM

GLOVE_SCALE = 0.25


class SeedVocabulary:
    def __init__(self, counts, min_count, extra_glove, glove_index, glove_vectors):
        seen = sorted(counts, key=lambda t: (-counts[t], t))
        # Every training token GloVe has keeps its vector (even once-seen: it is not trained);
        # a token GloVe lacks needs min_count sightings to earn a trained vector.
        glove = [t for t in seen if t in glove_index]
        learned = [t for t in seen if t not in glove_index and counts[t] >= min_count]
        self.training_glove = len(glove)
        have = set(glove)
        added = 0
        for w, _ in sorted(glove_index.items(), key=lambda kv: kv[1]):
            if added >= extra_glove:
                break
            if w not in have:
                glove.append(w)
                have.add(w)
                added += 1
        self.tokens = learned + glove
        self.learned, self.glove = len(learned), len(glove)
        self.vectors = np.stack([glove_vectors[glove_index[w]] for w in glove]).astype(np.float16)
        self.index = {t: 2 + k for k, t in enumerate(self.tokens)}
        # Share of training token occurrences with a GloVe vector / with any vocabulary id.
        total = sum(counts.values())
        self.coverage = {'glove': sum(c for t, c in counts.items() if t in glove_index) / max(1, total),
                         'vocabulary': sum(c for t, c in counts.items() if t in self.index) / max(1, total)}

    def __len__(self):
        return len(self.tokens)

    def summary(self):
        return {'size': len(self), 'learned': self.learned, 'glove': self.glove, 'glove_from_training': self.training_glove,
                'coverage': self.coverage}


class GloveEmbedding(nn.Module):
    """Token ids [B, L] -> [B, L, dim]: frozen GloVe or trained vectors, then a trained projection."""

    def __init__(self, learned, glove_vectors, dim):
        super().__init__()
        self.learned_end = 2 + int(learned)  # ids below: pad, unknown, learned tokens
        self.register_buffer('glove', torch.from_numpy(np.concatenate(
            [np.zeros((1, GLOVE_DIM), np.float16), np.asarray(glove_vectors, np.float16)])))
        self.learned = nn.Embedding(self.learned_end, GLOVE_DIM, padding_idx=0)
        nn.init.normal_(self.learned.weight, std=0.15)  # about the scaled GloVe vectors' spread
        with torch.no_grad():
            self.learned.weight[0].zero_()
        self.project = nn.Linear(GLOVE_DIM, dim)
        self.context = nn.Conv1d(GLOVE_DIM, dim, kernel_size=3, padding=1)
        self.weight = nn.Embedding(2 + int(learned) + len(glove_vectors), 1)
        nn.init.ones_(self.weight.weight)

    def forward(self, token_ids):
        mask = (token_ids != 0).to(torch.float32).unsqueeze(-1)
        learned = self.learned(token_ids.clamp(max=self.learned_end - 1))
        glove = self.glove[(token_ids - self.learned_end + 1).clamp(min=0)].to(torch.float32) * GLOVE_SCALE
        x = torch.where((token_ids >= self.learned_end).unsqueeze(-1), glove, learned) * mask * self.weight(token_ids)
        context = F.gelu(self.context(x.transpose(1, 2))).transpose(1, 2)
        return self.project(x) + context
