"""What the training scripts share: reading `sentiscope features` folders (data), the metrics
the app reports (metrics), ONNX export (export) and writing model packs (pack).

The scripts at training/*.py import from here and from training/models (the architectures),
never from each other. Run them from the repository root with Debian's python, e.g.
  /usr/bin/python3 training/late_fusion.py --help
The script's folder (training/) is on sys.path then, so `sentiscope_training` and `models` import
as top-level packages.
"""
