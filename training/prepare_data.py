"""Build the input CSVs `sentiscope features` reads, from ../shared/data.

One folder per dataset under training/data/<name>/input.csv, columns:
  id, text | image | audio (paths relative to ../shared/data, pass it as --base),
  dataset, split (train|dev), score (MOSI score in [-3,3], else empty),
  label (negative|neutral|positive, or empty), group (EmoDB speaker, else empty).

Only train/dev material is used; ../shared/heldout is never read.
Run from the repository root:  /usr/bin/python3 training/prepare_data.py [--sst2-train N (default: all)]
"""
import argparse
import csv
import os
import random

DATA = os.path.normpath(os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data'))
OUT = os.path.join(os.path.dirname(__file__), 'data')
COLUMNS = ['id', 'text', 'image', 'audio', 'dataset', 'split', 'score', 'label', 'group']

# EmoDB emotion -> valence, as in ../shared/data/README.md ("fear" and "anxiety" name the same class).
EMODB_VALENCE = {
    'happiness': 'positive',
    'neutral': 'neutral', 'boredom': 'neutral',
    'anger': 'negative', 'fear': 'negative', 'anxiety': 'negative', 'disgust': 'negative', 'sadness': 'negative',
}


def mosi_class(score):
    return 'negative' if score < 0 else 'positive' if score > 0 else 'neutral'


def write(name, rows, inputs):
    folder = os.path.join(OUT, name)
    os.makedirs(folder, exist_ok=True)
    columns = [c for c in COLUMNS if c not in ('text', 'image', 'audio') or c in inputs]
    with open(os.path.join(folder, 'input.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.DictWriter(f, fieldnames=columns, extrasaction='ignore', lineterminator='\n')
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, '') for c in columns})
    counts = {}
    for r in rows:
        counts[r['split']] = counts.get(r['split'], 0) + 1
    print(f'{name}: {len(rows)} rows {counts}')


def mosi():
    rows = []
    with open(os.path.join(DATA, 'mosi', 'segments.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            if r['split'] not in ('train', 'dev') or r['label'] == '':
                continue
            score = float(r['label'])
            rows.append({'id': f"mosi:{r['video_id']}_{r['clip_id']}", 'text': r['text'], 'dataset': 'mosi',
                         'split': r['split'], 'score': r['label'], 'label': mosi_class(score)})
    write('mosi', rows, ['text'])


def sst2(train_rows, seed):
    # SST-2 is binary (no neutral). It trains the 3-class head on its two classes and the
    # score head towards +-1.5 (see late_fusion.py, PROXY_SCORE); the score is a proxy.
    rows = []
    for split, file in (('train', 'sst2_train.tsv'), ('dev', 'sst2_dev.tsv')):
        with open(os.path.join(DATA, 'text', file), encoding='utf-8') as f:
            items = list(csv.DictReader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
        if split == 'train' and 0 < train_rows < len(items):
            items = random.Random(seed).sample(items, train_rows)
        for i, r in enumerate(items):
            rows.append({'id': f'sst2:{split}:{i}', 'text': r.get('sentence', r.get('content')), 'dataset': 'sst2', 'split': split,
                         'label': 'positive' if r['label'] == '1' else 'negative'})
    write('sst2', rows, ['text'])


def zh(seed, dev_share=0.1):
    # Chinese reviews, binary like SST-2 (label 1 positive, 0 negative). Both domains train;
    # a seeded 10 % of each is dev. `group` names the domain, so a cross-domain run can hold
    # one out (late_fusion.py --zh-dev-domain).
    rows = []
    for domain, file in (('hotel', 'ChnSentiCorp_htl_all.csv'), ('waimai', 'waimai_10k.csv')):
        with open(os.path.join(DATA, 'text', 'zh', file), encoding='utf-8') as f:
            items = [r for r in csv.DictReader(f) if r['review'] and r['review'].strip() and r['label'] in ('0', '1')]
        order = list(range(len(items)))
        random.Random(f'{seed}:{domain}').shuffle(order)
        dev = set(order[:round(dev_share * len(items))])
        for i, r in enumerate(items):
            rows.append({'id': f'zh:{domain}:{i}', 'text': r['review'].strip(), 'dataset': 'zh', 'group': domain,
                         'split': 'dev' if i in dev else 'train', 'label': 'positive' if r['label'] == '1' else 'negative'})
    write('zh', rows, ['text'])


def meld():
    rows = []
    for split, file in (('train', 'meld_train.csv'), ('dev', 'meld_dev.csv')):
        with open(os.path.join(DATA, 'text', file), encoding='utf-8') as f:
            for r in csv.DictReader(f):
                rows.append({'id': f"meld:{split}:{r['Dialogue_ID']}_{r['Utterance_ID']}", 'text': r['Utterance'],
                             'dataset': 'meld', 'split': split, 'label': r['Sentiment']})
    write('meld', rows, ['text'])


def mvsa():
    rows = []
    with open(os.path.join(DATA, 'mvsa', 'posts.csv'), encoding='utf-8', errors='replace') as f:
        for r in csv.DictReader(f):
            if r['split'] not in ('train', 'dev'):
                continue
            rows.append({'id': f"mvsa:{r['id']}", 'text': r['text'], 'image': os.path.join('mvsa', r['image']),
                         'dataset': 'mvsa', 'split': r['split'], 'label': r['label']})
    write('mvsa', rows, ['text', 'image'])


def emodb():
    # No train/dev split: evaluation is leave-one-speaker-out (late_fusion.py); the pack is
    # then trained on all 8 speakers. split=train for every row.
    rows = []
    with open(os.path.join(DATA, 'emodb', 'labels.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            rows.append({'id': f"emodb:{r['file']}", 'audio': os.path.join('emodb', 'wav', r['file']), 'dataset': 'emodb',
                         'split': 'train', 'label': EMODB_VALENCE[r['emotion']], 'group': r['speaker']})
    write('emodb', rows, ['audio'])


# RAVDESS emotion -> valence, as in ../shared/data/README.md. Surprise has no agreed valence: left out.
RAVDESS_VALENCE = {
    'happy': 'positive', 'neutral': 'neutral', 'calm': 'neutral',
    'angry': 'negative', 'sad': 'negative', 'fearful': 'negative', 'disgust': 'negative',
}
# Speaker-independent dev split: whole actors, never on both sides.
RAVDESS_DEV_ACTORS = {'17', '18', '19', '20'}


def ravdess():
    rows = []
    with open(os.path.join(DATA, 'ravdess', 'labels.csv'), encoding='utf-8') as f:
        for r in csv.DictReader(f):
            if r['emotion'] not in RAVDESS_VALENCE:
                continue
            rows.append({'id': f"ravdess:{os.path.basename(r['file'])}", 'audio': os.path.join('ravdess', r['file']),
                         'dataset': 'ravdess', 'split': 'dev' if r['actor'] in RAVDESS_DEV_ACTORS else 'train',
                         'label': RAVDESS_VALENCE[r['emotion']], 'group': r['actor']})
    write('ravdess', rows, ['audio'])


if __name__ == '__main__':
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--sst2-train', type=int, default=0, help='SST-2 train rows sampled (seeded); 0: all 67,349')
    parser.add_argument('--seed', type=int, default=13)
    args = parser.parse_args()
    mosi()
    sst2(args.sst2_train, args.seed)
    meld()
    zh(args.seed)
    mvsa()
    emodb()
    ravdess()
