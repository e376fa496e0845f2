"""Assemble the seed model packs (resources/models/<arch>-seed-v1) from finished train_seed runs.

  /usr/bin/python3 training/seed_pack.py [--runs training/runs/seed] [--models resources/models] [--arch cmsta ...]

Per architecture: fusion.onnx + vocab.txt + parity/fixture.json copied from RUNS/<arch>/, and
manifest.json (contract: src/core/models/manifest.ts) + MODEL_CARD.md written from the run's
metrics.json, the ablation runs next to it and the features' recipes (features.json), by
sentiscope_training/seed_packs.py. No pack is marked default: which one is the default is
decided from the table (training/README.md). A shipped pack is kept (and said so) when the new
run is worse than it on MOSI dev Acc-2 (non0) or MVSA dev accuracy and more than one standard error
below the default pack there (`not_worse`; --force skips that).
"""
import argparse
import json
import os

from sentiscope_training.pack import REPO
from sentiscope_training.seed_packs import ARCH_INFO, load_json, not_worse, write_pack


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--runs', default=os.path.join(here, 'runs', 'seed'))
    p.add_argument('--models', default=os.path.join(REPO, 'resources', 'models'))
    p.add_argument('--ablation-runs', default=os.path.join(here, 'runs', 'seed'), help='where the ablation table runs are')
    p.add_argument('--data', default=os.path.join(here, 'data'))
    p.add_argument('--arch', nargs='*', default=list(ARCH_INFO))
    p.add_argument('--force', action='store_true', help='replace a shipped pack even where the new run is worse on dev')
    args = p.parse_args()
    described = {n: load_json(os.path.join(args.data, n, 'features', 'features.json')) for n in ('emodb', 'mvsa')}
    recipes = described['emodb']['recipes']
    if json.dumps(recipes, sort_keys=True) != json.dumps(described['mvsa']['recipes'], sort_keys=True):
        raise SystemExit('EmoDB and MVSA features were extracted with different recipes: re-extract them with one build')
    for arch in args.arch:
        if not os.path.exists(os.path.join(args.runs, arch, 'metrics.json')):
            print(f'{arch}: no finished run in {args.runs}, skipped')
            continue
        shipped = os.path.join(args.models, f'{arch}-seed-v1', 'manifest.json')
        if os.path.exists(shipped) and not args.force:
            default = os.path.join(args.models, 'late-fusion-v1', 'manifest.json')
            ok, why = not_worse(load_json(os.path.join(args.runs, arch, 'metrics.json'))['metrics'], load_json(shipped),
                                load_json(default) if os.path.exists(default) else None)
            if not ok:
                print(f'{arch}: kept the shipped pack ({why})')
                continue
        print('wrote', write_pack(arch, args.runs, args.models, recipes, described['emodb']['columns'], args.ablation_runs))


if __name__ == '__main__':
    main()
