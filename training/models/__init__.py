"""Seed fusion architectures: one interface, see [Note: seed model interface] in common.py."""
from .clip_ca import CLIPCA
from .cmsta import CMSTA
from .fdcmdie import FDCMDIE
from .late_fusion import LateFusion
from .lmf import LMF
from .tfn import TFN

ARCHITECTURES = {
    'late-fusion': LateFusion,
    'tfn': TFN,
    'lmf': LMF,
    'cmsta': CMSTA,
    'fdcmdie': FDCMDIE,
    'clip-ca': CLIPCA,
}


def build(name, dims, **options):
    if name not in ARCHITECTURES:
        raise SystemExit(f'unknown architecture {name!r}: choose one of {", ".join(ARCHITECTURES)}')
    return ARCHITECTURES[name](dims, **options)
