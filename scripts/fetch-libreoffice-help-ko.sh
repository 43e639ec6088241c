#!/usr/bin/env bash
# Fetch Debian's libreoffice-help-ko package and extract it (no root needed for
# the download itself; `apt-get update` may need root if the package index is
# missing). The Korean LibreOffice help pages are a second, freely licensed
# (MPL-2.0) source of Korean prose for pre-training.
#
# Usage: scripts/fetch-libreoffice-help-ko.sh [TARGET_DIR]
#   TARGET_DIR defaults to third_party/libreoffice-help-ko (git-ignored).
# Prints the folder holding the Korean HTML pages, the number of HTML files
# and their total size. Safe to run again: skips work already done.
set -euo pipefail

PKG=libreoffice-help-ko
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
TARGET="${1:-$REPO_ROOT/third_party/libreoffice-help-ko}"

die() { echo "fetch-libreoffice-help-ko: error: $*" >&2; exit 1; }

for tool in apt-get dpkg-deb find; do
  command -v "$tool" >/dev/null 2>&1 \
    || die "'$tool' not found; this script needs a Debian/Ubuntu system with apt-get and dpkg-deb"
done

MARKER="$TARGET/.extracted"

if [[ -f "$MARKER" ]]; then
  echo "Already extracted in $TARGET ($(cat "$MARKER")); skipping download." >&2
else
  mkdir -p "$TARGET"
  WORK="$(mktemp -d)"
  chmod 755 "$WORK"   # let apt's sandbox user (_apt) write there
  trap 'rm -rf "$WORK"' EXIT
  echo "Downloading $PKG ..." >&2
  if ! (cd "$WORK" && apt-get download "$PKG") >&2; then
    echo "apt-get download failed; running apt-get update and retrying ..." >&2
    apt-get update >&2 || die "apt-get update failed (are you root? is a Debian mirror reachable?)"
    (cd "$WORK" && apt-get download "$PKG") >&2 || die "could not download $PKG"
  fi
  DEB="$(find "$WORK" -maxdepth 1 -name "${PKG}_*.deb" | head -n 1)"
  [[ -n "$DEB" ]] || die "no .deb file for $PKG after download"
  echo "Extracting $(basename "$DEB") into $TARGET ..." >&2
  dpkg-deb -x "$DEB" "$TARGET"
  basename "$DEB" > "$MARKER"
fi

# Locate the folder with the Korean HTML help pages (…/help/ko/… in the package).
HTML_DIR=""
for cand in "$TARGET/usr/share/libreoffice/help/ko" "$TARGET/usr/lib/libreoffice/help/ko"; do
  if [[ -d "$cand" ]]; then HTML_DIR="$cand"; break; fi
done
if [[ -z "$HTML_DIR" ]]; then
  # Fallback: the directory named ko that holds the most .html files.
  HTML_DIR="$(find "$TARGET" -type f \( -name '*.html' -o -name '*.xhtml' -o -name '*.htm' \) -path '*/ko/*' \
              | sed -E 's#(.*/ko)/.*#\1#' | sort | uniq -c | sort -rn | head -n 1 | awk '{print $2}')"
fi
[[ -n "$HTML_DIR" && -d "$HTML_DIR" ]] || die "no Korean HTML pages found under $TARGET"
# Resolve symlinks so that find descends into the real tree.
HTML_DIR="$(cd "$HTML_DIR" && pwd -P)"

COUNT="$(find -L "$HTML_DIR" -type f \( -name '*.html' -o -name '*.htm' \) | wc -l)"
BYTES="$(find -L "$HTML_DIR" -type f \( -name '*.html' -o -name '*.htm' \) -print0 | du -cb --files0-from=- | tail -n 1 | cut -f1)"

echo "html_dir=$HTML_DIR"
echo "html_files=$COUNT"
echo "html_bytes=$BYTES"
