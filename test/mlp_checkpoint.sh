#!/usr/bin/env bash
# Trains examples/mlp with the given options, saves the model, evaluates the
# checkpoint in a new process, and checks that both score the same and at
# least MIN_ACCURACY.  Usage: mlp_checkpoint.sh THEON_MLP MIN_ACCURACY [OPTIONS...]
set -euo pipefail
mlp=$1 min=$2
shift 2
ckpt=$(mktemp --suffix=.npz)
trap 'rm -f "$ckpt"' EXIT
trained=$("$mlp" "$@" --save "$ckpt" | grep 'Final test')
loaded=$("$mlp" --load "$ckpt" | grep 'Final test')
echo "trained: $trained / loaded: $loaded"
test "$trained" = "$loaded"
awk -v acc="${trained##* }" -v min="$min" 'BEGIN { exit !(acc >= min) }'
