#!/usr/bin/env bash
# Retrain the pretrained models shipped in assets/models/ (full 60,000 training images, numpy batching).
# Usage: bash assets/models/train.sh [ARCH...]   (from the repository root; default: all four)
# Each run logs to assets/models/<arch>/train.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-python}
declare -A ARGS=(
  [dense]="--epochs 20 --batch-size 64 --lr 0.001 --lr-decay 0.85"
  [lenet5]="--epochs 15 --batch-size 64 --lr 0.001 --lr-decay 0.8"
  [cnn]="--epochs 15 --batch-size 64 --lr 0.001 --lr-decay 0.8"
  [template]="--epochs 4 --batch-size 64 --lr 0.001 --lr-decay 0.5"
)
for arch in "${@:-dense lenet5 cnn template}"; do
  for a in $arch; do
    mkdir -p "assets/models/$a"
    echo "== $a: $PY main.py train --arch $a --batching numpy ${ARGS[$a]} --seed 0 --save assets/models/$a --quiet --json"
    $PY main.py train --arch "$a" --batching numpy ${ARGS[$a]} --seed 0 --save "assets/models/$a" --quiet --json \
      2>&1 | tee "assets/models/$a/train.log"
  done
done
