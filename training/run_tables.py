"""Train every seed architecture and ablation, then write the comparison and ablation tables.

  /usr/bin/python3 training/run_tables.py [--steps 300] [--cv-steps 60] [--jobs 2] [--runs training/runs/seed]
  /usr/bin/python3 training/run_tables.py --tables-only        # rebuild tables.md from finished runs
  /usr/bin/python3 training/run_tables.py --seeds 13 14 15 --cv-seeds 13 --only late-fusion tfn ...

With --seeds, each seed's runs go to RUNS/seed-<s>/<name>/ and tables.md gives, per run name,
the mean and spread over the seeds (and each seed's value), so that differences within noise
can be called so; EmoDB CV runs only for the --cv-seeds (default: all seeds).

Each run is `training/train_seed.py` (one process, one torch thread) writing RUNS/<name>/; a run
whose metrics.json exists is skipped (so an interrupted table resumes). Runs go on --jobs
parallel workers, longest first. Writes RUNS/tables.md (and prints it).
"""
import argparse
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (arch, flags); order = table order.
RUNS = {
    'late-fusion': ('late-fusion', []),
    'tfn': ('tfn', []),
    'lmf': ('lmf', []),
    'cmsta': ('cmsta', []),
    'fdcmdie': ('fdcmdie', []),
    'clip-ca': ('clip-ca', []),
    'cmsta-no-cmsta': ('cmsta', ['use_cmsta=0']),
    'cmsta-no-cg': ('cmsta', ['use_cg=0']),
    'cmsta-no-tcmfi': ('cmsta', ['use_tcmfi=0']),
    'fdcmdie-no-contrastive': ('fdcmdie', ['use_contrastive=0']),
    'fdcmdie-no-gap': ('fdcmdie', ['use_gap=0']),
    'fdcmdie-no-second-cross': ('fdcmdie', ['use_second_cross=0']),
}
# Rough relative cost per step (measured: cmsta ~0.9 s, fdcmdie ~0.6 s, the rest < 0.1 s at batch 32).
COST = {'cmsta': 9, 'fdcmdie': 6, 'tfn': 1, 'lmf': 1, 'clip-ca': 1, 'late-fusion': 0.3}
ABLATION_LABEL = {'use_cmsta=0': 'w/o CM-STA', 'use_cg=0': 'w/o CG', 'use_tcmfi=0': 'w/o TCMFI',
                  'use_contrastive=0': 'w/o contrastive loss', 'use_gap=0': 'w/o gated attention pooling',
                  'use_second_cross=0': 'w/o second cross-attention'}


MAIN = ['late-fusion', 'tfn', 'lmf', 'cmsta', 'fdcmdie', 'clip-ca']


def run_dir(args, name, seed):
    return os.path.join(args.runs, name) if seed is None else os.path.join(args.runs, f'seed-{seed}', name)


def command(name, seed, args):
    arch, flags = RUNS[name]
    cv = args.cv_folds if seed is None or args.cv_seeds is None or seed in args.cv_seeds else 0
    cmd = [sys.executable, os.path.join(HERE, 'train_seed.py'), '--arch', arch, '--steps', str(args.steps),
           '--cv-steps', str(args.cv_steps), '--cv-folds', str(cv), '--out', run_dir(args, name, seed)]
    if seed is not None:
        cmd += ['--seed', str(seed)]
    for f in flags:
        cmd += ['--flag', f]
    return cmd


def worker(queue, lock, args):
    while True:
        with lock:
            if not queue:
                return
            name, seed = queue.pop(0)
        out = run_dir(args, name, seed)
        os.makedirs(out, exist_ok=True)
        started = time.time()
        with open(os.path.join(out, 'train.log'), 'w') as log:
            rc = subprocess.call(command(name, seed, args), stdout=log, stderr=subprocess.STDOUT)
        print(f'{name}{"" if seed is None else f" seed {seed}"}: exit {rc}, {time.time() - started:.0f} s', flush=True)


def load(runs, name):
    path = os.path.join(runs, name, 'metrics.json')
    if not os.path.exists(path):
        return None
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def pct(v):
    return '—' if v is None else f'{100 * v:.1f}'


def num(v, d=3):
    return '—' if v is None else f'{v:.{d}f}'


def row(name, r):
    m = r['metrics']
    mo, mv, mt = m['mosi-dev'], m['mvsa-dev'], m['mvsa-dev-text-only']
    cv = m.get('emodb-speaker-cv', {})
    return (f'| {name} | {pct(mo["acc2_non0"])} | {pct(mo["f1_non0"])} | {pct(mo["acc7"])} | {num(mo["mae"])} | '
            f'{num(mo["corr"])} | {pct(mv["acc"])} | {pct(mv["f1_weighted"])} | {pct(mt["acc"])} | '
            f'{pct(cv.get("acc"))} | {pct(cv.get("f1_macro"))} | {r["training"]["steps"]} | {r["seconds"]} |')


HEADER = ('| model | MOSI dev Acc-2 (non0) | F1 (non0) | Acc-7 | MAE | Corr | MVSA dev acc | MVSA wF1 | MVSA text-only acc '
          '| EmoDB CV acc | EmoDB CV macro F1 | steps | run s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|')


def tables(args):
    lines = [f'# Seed architectures: {args.title}', '']
    done = {n: load(args.runs, n) for n in RUNS}
    first = next((r for r in done.values() if r), None)
    if first:
        a = first['args']
        lines += [f'Every run: {a["steps"]} steps of batch {a["batch"]} (AdamW, one-cycle lr {a["lr"]}), d_model {a["d_model"]}, '
                  f'1 CPU thread; EmoDB: {a["cv_folds"]} speaker-grouped folds x {a["cv_steps"]} steps (audio only). '
                  f'Train rows: {json.dumps(first["train_rows"])}. Percentages; MOSI dev text only (MMSA).', '']
    lines += ['## Comparison', '', HEADER]
    for n in MAIN:
        if done[n]:
            lines.append(row(n, done[n]))
    lines += ['', '## Ablations', '', HEADER]
    for base in ('cmsta', 'fdcmdie'):
        for n in RUNS:
            if RUNS[n][0] == base and done[n]:
                label = base + ' (full)' if not RUNS[n][1] else f'{base} {ABLATION_LABEL[RUNS[n][1][0]]}'
                lines.append(row(label, done[n]))
    write_tables(args, lines, [n for n, r in done.items() if r is None and n in (args.only or RUNS)])


SEED_METRICS = [('MOSI dev Acc-2 (non0)', 'mosi-dev', 'acc2_non0', pct), ('Corr', 'mosi-dev', 'corr', num),
                ('MAE', 'mosi-dev', 'mae', num), ('MOSI ECE (non0)', 'mosi-dev', 'ece_non0', num),
                ('MVSA dev acc', 'mvsa-dev', 'acc', pct), ('MVSA wF1', 'mvsa-dev', 'f1_weighted', pct),
                ('MVSA ECE', 'mvsa-dev', 'ece', num), ('MVSA text-only acc', 'mvsa-dev-text-only', 'acc', pct),
                ('RAVDESS dev bal. acc', 'ravdess-dev', 'balanced_acc', num),
                ('RAVDESS largest class', 'ravdess-dev', 'largest_class', pct), ('RAVDESS ECE', 'ravdess-dev', 'ece', num),
                ('MVSA faces, image only: largest class', 'mvsa-dev-image-only-faces', 'largest_class', pct),
                ('positive − negative score', 'mvsa-dev-image-only-faces', 'positive_minus_negative', num),
                ('temperature', 'calibration', 'temperature', num)]


def spread(values, fmt):
    """'mean ± sample sd (each seed)' over the seeds that finished."""
    v = [x for x in values if x is not None]
    if not v:
        return '—'
    mean = sum(v) / len(v)
    sd = (sum((x - mean) ** 2 for x in v) / (len(v) - 1)) ** 0.5 if len(v) > 1 else 0.0
    scale = 100 if fmt is pct else 1
    digits = 1 if fmt is pct else 3
    each = ' / '.join(fmt(x) for x in values)
    return f'{scale * mean:.{digits}f} ± {scale * sd:.{digits}f} ({each})'


def seed_tables(args):
    lines = [f'# Seed architectures: {args.title}', '']
    names = [n for n in (args.only or RUNS)]
    done = {(n, s): load(os.path.join(args.runs, f'seed-{s}'), n) for n in names for s in args.seeds}
    first = next((r for r in done.values() if r), None)
    if first:
        a = first['args']
        lines += [f'Every run: {a["steps"]} steps of batch {a["batch"]} (AdamW, one-cycle lr {a["lr"]}), d_model {a["d_model"]}, '
                  f'1 CPU thread; seeds {", ".join(map(str, args.seeds))} (mean ± sample sd, then each seed); EmoDB: '
                  f'{a["cv_folds"] or args.cv_folds} speaker-grouped folds x {a["cv_steps"]} steps (audio only) for seed(s) '
                  f'{", ".join(map(str, args.cv_seeds or args.seeds))}. Train rows: {json.dumps(first["train_rows"])}; '
                  f'vocabulary: {json.dumps(first.get("vocabulary", {}))}. Percentages; MOSI dev text only (MMSA).', '']
    lines += ['| model | ' + ' | '.join(h for h, *_ in SEED_METRICS) + ' | EmoDB CV acc / macro F1 | steps | run s (mean) |',
              '|---' * (len(SEED_METRICS) + 4) + '|']
    for n in names:
        runs = [done[(n, s)] for s in args.seeds]
        if not any(runs):
            continue
        cells = [spread([r['metrics'].get(split, {}).get(key) if r else None for r in runs], fmt) for _, split, key, fmt in SEED_METRICS]
        cv = [r['metrics']['emodb-speaker-cv'] for r in runs if r and 'emodb-speaker-cv' in r['metrics']]
        cv_text = ', '.join(f'{pct(c["acc"])} / {pct(c["f1_macro"])}' for c in cv) or '—'
        fin = [r for r in runs if r]
        label = n if not RUNS[n][1] else f'{RUNS[n][0]} {ABLATION_LABEL[RUNS[n][1][0]]}'
        lines.append(f'| {label} | ' + ' | '.join(cells) + f' | {cv_text} | {fin[0]["training"]["steps"]} | '
                     f'{sum(r["seconds"] for r in fin) / len(fin):.0f} |')
    write_tables(args, lines, [f'{n} seed {s}' for (n, s), r in done.items() if r is None])


def write_tables(args, lines, missing):
    """tables.md in the runs folder (and stdout), with the runs that did not finish named."""
    if missing:
        lines += ['', f'Not finished: {", ".join(missing)}.']
    text = '\n'.join(lines) + '\n'
    with open(os.path.join(args.runs, 'tables.md'), 'w', encoding='utf-8') as f:
        f.write(text)
    print(text)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--runs', default=os.path.join(HERE, 'runs', 'seed'))
    p.add_argument('--steps', type=int, default=300)
    p.add_argument('--cv-steps', type=int, default=60)
    p.add_argument('--cv-folds', type=int, default=4)
    p.add_argument('--jobs', type=int, default=2)
    p.add_argument('--only', nargs='*', default=None, help='run names (default: all)')
    p.add_argument('--tables-only', action='store_true')
    p.add_argument('--seeds', type=int, nargs='*', default=None, help='one run per seed (RUNS/seed-<s>/<name>)')
    p.add_argument('--cv-seeds', type=int, nargs='*', default=None, help='seeds that also run EmoDB CV (default: all)')
    p.add_argument('--title', default='comparison and ablations (short-budget CPU runs)')
    args = p.parse_args()
    if not args.tables_only:
        seeds = args.seeds or [None]
        names = [(n, s) for s in seeds for n in (args.only or RUNS)
                 if load(os.path.dirname(run_dir(args, n, s)), n) is None]
        # The shipped architectures first (longest first; CV runs before the others), then the ablations.
        names.sort(key=lambda ns: (bool(RUNS[ns[0]][1]), -COST[RUNS[ns[0]][0]] * (0.4 if 'use_tcmfi=0' in RUNS[ns[0]][1] else 1)
                                   * (2 if args.cv_seeds is None or ns[1] in args.cv_seeds else 1)))
        lock = threading.Lock()
        threads = [threading.Thread(target=worker, args=(names, lock, args)) for _ in range(args.jobs)]
        started = time.time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(f'all runs: {time.time() - started:.0f} s', flush=True)
    seed_tables(args) if args.seeds else tables(args)


if __name__ == '__main__':
    main()
