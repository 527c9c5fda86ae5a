#!/usr/bin/env bash
# build_corpus_debian.sh — builds a larger Brazilian Portuguese corpus in data/extra/ (gitignored)
# from Debian packages fetched by name with `apt-get download` (no root needed), plus the project's
# own data/corpus_pt_br.txt. Reference: the packages' debian/copyright files, copied next to the output.
# The output inherits the packages' licences (GPL-2+ / GFDL-1.1), which is why it is never committed.
#
# Usage: scripts/build_corpus_debian.sh [PACKAGE ...]     (default: fortunes-br focalinux-text)
# Output: data/extra/<package>.txt, data/extra/corpus_extra_pt_br.txt, data/extra/MANIFEST.txt,
#         data/extra/licenses/<package>.copyright
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/data/extra"
base="$root/data/corpus_pt_br.txt"
packages=("$@")
[ ${#packages[@]} -gt 0 ] || packages=(fortunes-br focalinux-text)

die() { echo "build_corpus_debian.sh: error: $*" >&2; exit 1; }
for tool in apt-get dpkg-deb iconv sha256sum gzip; do
    command -v "$tool" >/dev/null || die "'$tool' not found (this script needs a Debian/Ubuntu system)"
done
[ -f "$base" ] || die "$base is missing (run from a checkout of the project)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out/licenses"

# Writes stdin to $1 atomically: temp file in the same directory, fsync, rename.
write_atomically() {
    local dest="$1" tmp
    tmp="$(mktemp "$dest.XXXXXX.tmp")"
    cat >"$tmp"
    chmod 644 "$tmp"
    sync "$tmp" 2>/dev/null || true
    mv -f "$tmp" "$dest"
}

# Light clean-up shared by all sources: no CR, no trailing blanks, at most two blank lines in a row.
normalize() {
    sed -e 's/\r$//' -e 's/[[:space:]]*$//' | cat -s
}

# One function per package: reads the extracted tree in $1, prints UTF-8 text on stdout.
extract_fortunes_br() {
    local file="$1/usr/share/games/fortunes/brasil"
    [ -f "$file" ] || die "fortunes-br: $file not found in the package"
    # Entries are separated by lines holding a single '%'; make them paragraphs.
    sed -e 's/^%$//' "$file" | normalize
}
extract_focalinux_text() {
    local dir="$1/usr/share/doc/focalinux/text" level
    for level in iniciante intermediario avancado; do
        [ -f "$dir/$level/index.txt.gz" ] || die "focalinux-text: $dir/$level/index.txt.gz not found"
        # The guide is ISO-8859-1 and indented by five spaces; convert and dedent.
        gzip -dc "$dir/$level/index.txt.gz" | iconv -f ISO-8859-1 -t UTF-8 | sed -e 's/^[[:space:]]*//'
        printf '\n\n'
    done | normalize
}

manifest="$work/MANIFEST.txt"
{
    echo "Built by scripts/build_corpus_debian.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "Base: data/corpus_pt_br.txt sha256 $(sha256sum "$base" | cut -d' ' -f1)"
} >"$manifest"

parts=("$base")
for pkg in "${packages[@]}"; do
    case "$pkg" in
        fortunes-br) extractor=extract_fortunes_br ;;
        focalinux-text) extractor=extract_focalinux_text ;;
        *) die "no extractor for package '$pkg' (known: fortunes-br focalinux-text)" ;;
    esac
    echo "fetching $pkg ..." >&2
    (cd "$work" && apt-get download "$pkg" >/dev/null 2>"$work/$pkg.apt.log") \
        || die "apt-get download $pkg failed (run 'apt-get update'?): $(tail -1 "$work/$pkg.apt.log")"
    deb="$(ls "$work"/"$pkg"_*.deb)"
    dpkg-deb -x "$deb" "$work/$pkg"
    version="$(dpkg-deb -f "$deb" Version)"
    "$extractor" "$work/$pkg" | write_atomically "$out/$pkg.txt"
    iconv -f UTF-8 -t UTF-8 "$out/$pkg.txt" >/dev/null || die "$pkg: output is not valid UTF-8"
    cp "$work/$pkg/usr/share/doc/$pkg/copyright" "$out/licenses/$pkg.copyright"
    echo "$pkg $version: $(wc -c <"$out/$pkg.txt") bytes, sha256 $(sha256sum "$out/$pkg.txt" | cut -d' ' -f1)" >>"$manifest"
    parts+=("$out/$pkg.txt")
done

# The combined file: each source separated by two blank lines, like the pieces of the base corpus.
for part in "${parts[@]}"; do cat "$part"; printf '\n\n'; done | normalize | write_atomically "$out/corpus_extra_pt_br.txt"
combined="$out/corpus_extra_pt_br.txt"
echo "corpus_extra_pt_br.txt: $(wc -c <"$combined") bytes, $(wc -l <"$combined") lines, $(wc -w <"$combined") words, sha256 $(sha256sum "$combined" | cut -d' ' -f1)" >>"$manifest"
write_atomically "$out/MANIFEST.txt" <"$manifest"
cat "$out/MANIFEST.txt"
