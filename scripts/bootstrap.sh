#!/usr/bin/env bash
# Installs what minigpt-lessons needs to build and test on Debian/Ubuntu: the C libraries it links
# (cmark, OpenBLAS), the Vulkan headers, loader, Mesa's lavapipe driver, glslc and the validation
# layer (GPU tests run on lavapipe in CI), and Chromium (the HTML test). As root it runs apt-get;
# otherwise it prints the exact command and exits non-zero.
set -euo pipefail
packages=(pkg-config libcmark-dev libopenblas-dev libvulkan-dev mesa-vulkan-drivers glslc vulkan-validationlayers chromium)
if [[ "$(uname -s)" == "Darwin" ]]; then
  command -v brew >/dev/null && { brew list cmark >/dev/null 2>&1 || brew install cmark; } || echo "macOS: install cmark (brew install cmark); Accelerate provides BLAS"
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -eq 0 ]]; then exit 0; fi
echo "bootstrap: missing packages: ${missing[*]}" >&2
if [[ $(id -u) -eq 0 ]]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "bootstrap: installed ${missing[*]}" >&2
else
  echo "bootstrap: run this, then try again:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
