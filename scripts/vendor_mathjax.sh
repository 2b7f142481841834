#!/usr/bin/env bash
# Copy the parts of MathJax 3 that the book serves into book_assets/static/mathjax/, so that the
# HTML book typesets its maths with no network. The result is committed: `make book` never runs
# this script; run it (it needs npm) only to change the MathJax version.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=3.2.2
# the registry's checksum of mathjax-3.2.2.tgz (`npm view mathjax@3.2.2 dist.integrity`)
INTEGRITY="sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw=="
DEST=book_assets/static/mathjax

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm pack --silent "mathjax@$VERSION" --pack-destination "$tmp" >/dev/null
tarball="$tmp/mathjax-$VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
    echo "mathjax-$VERSION.tgz does not match the registry checksum recorded here" >&2
    exit 1
fi
tar -xzf "$tarball" -C "$tmp"
src="$tmp/package/es5"

rm -rf "$DEST"
mkdir -p "$DEST/output/chtml/fonts" "$DEST/sre/mathmaps"
# every TeX extension built in, HTML-CSS output; the only script a page loads
cp "$src/tex-chtml-full.js" "$DEST/"
# the web fonts the CHTML output asks for, relative to the script
cp -r "$src/output/chtml/fonts/woff-v2" "$DEST/output/chtml/fonts/"
# loaded only when a reader turns on the accessibility explorer in MathJax's menu (English speech)
cp -r "$src/a11y" "$DEST/"
cp "$src/sre/mathmaps/base.json" "$src/sre/mathmaps/en.json" "$DEST/sre/mathmaps/"
cp "$tmp/package/LICENSE" "$DEST/LICENSE"
echo "MathJax $VERSION copied into $DEST ($(du -sh "$DEST" | cut -f1))"
