#!/bin/sh
# Micro benchmark of the CPU backend's kernels (not a test): builds MiniGPT in release, links
# scripts/kernel-bench.swift against its objects and runs it. Usage:
#   scripts/kernel-bench.sh THREADS train|decode|prefill|gemv|gemm|smallm|interleave|bw|bw2 [POSITION]
# Prints the minimum and median ms per call (the minimum is the best guess on a shared machine).
set -eu
cd "$(dirname "$0")/.."
swift build -c release --scratch-path .build-rel --target MiniGPT >/dev/null
flags=""
[ "$(uname -m)" = x86_64 ] && flags="-target-cpu haswell"
swiftc -O $flags -I .build-rel/release/Modules -I Sources/CBLAS \
  -Xcc -fmodule-map-file=.build-rel/release/CVulkan.build/module.modulemap -I Sources/CVulkan/include \
  scripts/kernel-bench.swift .build-rel/release/MiniGPT.build/*.o .build-rel/release/CVulkan.build/*.o \
  -lopenblas -ldl -o .build-rel/kernel-bench
exec .build-rel/kernel-bench "$@"
