#!/usr/bin/env bash
# Packages a release minigpt-lessons that runs on a Linux machine without a Swift toolchain (e.g.
# a rented GPU server): the Swift runtime linked statically (--static-swift-stdlib), the shared
# libraries ldd lists beyond glibc (cmark, OpenBLAS, gfortran, ...) in lib/, found through an
# RPATH of $ORIGIN/lib, and the Vulkan loader in vulkan/, which the backend dlopens only when the
# machine has no loader of its own. The GPU driver (its Vulkan ICD) comes from the target machine.
#   scripts/package_portable.sh [output-dir]     (default .build-portable/minigpt-lessons)
#   scp -r .build-portable/minigpt-lessons gpu-host: && ssh gpu-host minigpt-lessons/minigpt-lessons bench --backend gpu
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build-portable/minigpt-lessons}
# DT_RPATH (--disable-new-dtags), unlike DT_RUNPATH, also serves the libraries' own dependencies.
flags=(-c release --product minigpt-lessons --static-swift-stdlib
       -Xlinker --disable-new-dtags -Xlinker -rpath -Xlinker '$ORIGIN/lib')
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)/minigpt-lessons"

rm -rf "$out"
mkdir -p "$out/lib" "$out/vulkan"
cp "$bin" "$out/"
# glibc and the C/C++ runtime are on every Linux; everything else travels with the binary.
ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | while read -r lib; do
  case "$(basename "$lib")" in
    libc.so.*|libm.so.*|libpthread.so.*|libdl.so.*|librt.so.*|libresolv.so.*|libutil.so.*|ld-linux*|libgcc_s.so.*|libstdc++.so.*) ;;
    *) cp -L "$lib" "$out/lib/" ;;
  esac
done
loader=$(ldconfig -p | awk '/libvulkan\.so\.1 .*x86-64|libvulkan\.so\.1 .*AArch64/ { print $NF; exit }')
if [[ -n "$loader" ]]; then cp -L "$loader" "$out/vulkan/"; else echo "package_portable.sh: no libvulkan.so.1 to carry" >&2; fi
echo "package_portable.sh: $out ($(du -sh "$out" | cut -f1)):"
ls "$out" "$out/lib" "$out/vulkan"
