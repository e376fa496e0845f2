#!/usr/bin/env bash
# System packages Sentiscope's tests use, from Debian: ffmpeg 5.1 (with ffprobe),
# Chromium (end-to-end tests drive the browser-mode UI in it), python3-onnx (the test that
# re-runs scripts/convert-face-models.py) and python3-torch (the smoke run of every seed
# architecture in training/), slurm-wlm and munge (scripts/slurm-local.sh runs the documented Slurm
# array script on a one-node cluster), praat (the test that Praat reads the TextGrid files Sentiscope
# writes) and libxml2-utils (xmllint validates exported ELAN files against EAF 3.0). The app itself runs on the ffmpeg that ships inside npm
# packages when these are absent.
set -euo pipefail
missing=()
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
/usr/bin/python3 -c 'import onnx, numpy' >/dev/null 2>&1 || missing+=(python3-onnx python3-numpy)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || missing+=(python3-torch)
command -v sbatch >/dev/null 2>&1 || missing+=(slurm-wlm)
command -v munged >/dev/null 2>&1 || [ -x /usr/sbin/munged ] || missing+=(munge)
command -v praat >/dev/null 2>&1 || missing+=(praat)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-system-deps: need ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
