#!/usr/bin/env bash
# Builds a small, real, multi-vendor sample library for McDewey from Debian 12 documentation
# packages (fetched with `apt-get download`, unpacked with `dpkg-deb -x`).
#
# Layout written:   DEST/<product>/<version>/<file>          one doc per file
#                   DEST/<product>/<version>/<doc>/<files>   one doc made of many files
#                   DEST/catalog.toml                        vendor and display name per product
# Bookkeeping (dot entries, never part of the library):
#                   DEST/.cache/     downloaded .deb files, reused across runs
#                   DEST/.staging/   the library being built (moved into place at the end)
#                   DEST/.complete   stamp written last; its presence means "finished"
#
# Idempotent: a finished DEST is left alone (exits at once). An interrupted run leaves no
# stamp, so the next run rebuilds the library from the cache. Needs dpkg-deb, apt-get, gzip.
set -euo pipefail

# Bump when the selection or layout below changes: a finished library with an older recipe
# is rebuilt (from the cache) on the next run.
RECIPE="3"

usage() {
  cat <<'EOF'
Usage: scripts/fetch-sample-library.sh [--force] [DEST]

Builds a real multi-vendor sample documentation library for McDewey from Debian 12
documentation packages (MIT Kerberos, ISC BIND 9 and Kea, FRRouting, GnuTLS, Icinga 2,
Knot DNS): PDF, HTML and Markdown manuals laid out as DEST/<product>/<version>/...,
plus DEST/catalog.toml with each product's vendor and display name.

  DEST      where to build the library (default: ./sample-library)
  --force   rebuild even if DEST already holds a finished library (downloads are reused)
  --help    show this help

Downloads are cached in DEST/.cache. A finished library is marked by DEST/.complete;
re-running on it does nothing. Progress goes to stderr, the final summary to stdout.
EOF
}

log()  { printf 'fetch-sample-library: %s\n' "$*" >&2; }
warn() { printf 'fetch-sample-library: WARNING: %s\n' "$*" >&2; }
die()  { printf 'fetch-sample-library: ERROR: %s\n' "$*" >&2; exit 1; }

FORCE=0
DEST=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    -f|--force) FORCE=1 ;;
    --) shift; [ $# -gt 0 ] && DEST="$1"; break ;;
    -*) usage >&2; die "unknown option: $1" ;;
    *) [ -z "$DEST" ] || { usage >&2; die "only one DEST may be given"; }; DEST="$1" ;;
  esac
  shift
done
DEST="${DEST:-./sample-library}"

# --- the selection --------------------------------------------------------------------------
# package | product slug | vendor | product display name | layout function
PACKAGES=(
  "krb5-doc|mit-kerberos|MIT Kerberos Consortium|MIT Kerberos 5|layout_krb5"
  "bind9-doc|bind9|Internet Systems Consortium (ISC)|BIND 9|layout_bind9"
  "kea-doc|kea|Internet Systems Consortium (ISC)|Kea DHCP|layout_kea"
  "frr-doc|frr|FRRouting project (Linux Foundation)|FRRouting|layout_frr"
  "gnutls-doc|gnutls|GnuTLS project|GnuTLS|layout_gnutls"
  "icinga2-doc|icinga2|Icinga GmbH|Icinga 2|layout_icinga2"
  "knot-doc|knot-dns|CZ.NIC|Knot DNS|layout_knot"
)
MIN_PRODUCTS=3

# Each layout function gets: $1 = unpacked package root, $2 = DEST/<product>/<version> (staging).
# It copies documents with take/take_file; only document files ever get through.
layout_krb5() {     # the six PDF guides (shipped as *.pdf.gz); the HTML duplicates them
  take "$1/usr/share/doc/krb5-doc" "$2" '*.pdf'
}
layout_bind9() {    # the Administrator Reference Manual (Sphinx HTML); not the changelog
  take "$1/usr/share/doc/bind9-doc/arm" "$2/arm" '*.html' -- 'changelog.html'
}
layout_kea() {      # the ARM (its Sphinx root page + chapters), man pages, messages, API
  local h="$1/usr/share/doc/kea/html"
  take "$h/arm" "$2/arm" '*.html'
  take_file "$h/index.html" "$2/arm/index.html"
  take "$h/man" "$2/man" '*.html'
  take_file "$h/kea-messages.html" "$2/kea-messages.html"
  take_file "$h/api.html" "$2/api.html"
}
layout_frr() {      # the user guide (Sphinx HTML; the info version is the same text)
  take "$1/usr/share/doc/frr/html" "$2/user-guide" '*.html'
  take_file "$1/usr/share/doc/frr/README.md" "$2/README.md"
}
layout_gnutls() {   # the manual as PDF (gnutls.html is the same text), the C API reference,
                    # and the Guile bindings manual
  take_file "$1/usr/share/doc/gnutls-doc/gnutls.pdf" "$2/gnutls.pdf"
  take "$1/usr/share/doc/gnutls-doc/api-reference" "$2/api-reference" '*.html' -- 'api-index-*.html'
  take_file "$1/usr/share/doc/gnutls-doc/html/gnutls-guile.html" "$2/gnutls-guile.html"
}
layout_icinga2() {  # the manual, one Markdown file per chapter (shipped as *.md.gz)
  take "$1/usr/share/doc/icinga2/markdown" "$2/manual" '*.md'
}
layout_knot() {     # the Sphinx manual and, apart, its man pages
  take "$1/usr/share/doc/knot-doc" "$2/manual" '*.html' -- 'man_*.html'
  take "$1/usr/share/doc/knot-doc" "$2/man" 'man_*.html'
}

# --- document filter and copy helpers -------------------------------------------------------
# A document is .pdf/.html/.htm/.md/.txt (possibly .gz-compressed); never a generated index,
# a search page or anything from Sphinx's _sources/_static/_images.
is_doc_name() {     # $1 = file name with any .gz already removed
  case "$1" in
    genindex*.html|search.html|py-modindex.html|searchindex.js|objects.inv|.*) return 1 ;;
  esac
  case "${1,,}" in
    *.pdf|*.html|*.htm|*.md|*.txt) return 0 ;;
  esac
  return 1
}

COPIED=0
# take_file SRC DST: copy one document, gunzipping it when SRC (or SRC.gz) is compressed.
take_file() {
  local src="$1" dst="$2"
  if [ ! -f "$src" ] && [ -f "$src.gz" ]; then src="$src.gz"; fi
  if [ ! -f "$src" ]; then warn "expected file missing from package: ${src#"$UNPACK"/}"; return 0; fi
  case "$src" in */_sources/*|*/_static/*|*/_images/*) return 0 ;; esac
  is_doc_name "$(basename "$dst")" || return 0
  mkdir -p "$(dirname "$dst")"
  if [[ "$src" == *.gz ]]; then
    gzip -dc -- "$src" >"$dst" || { rm -f "$dst"; warn "cannot gunzip ${src#"$UNPACK"/}"; return 0; }
  else
    cp -- "$src" "$dst"
  fi
  chmod 0644 "$dst"
  if [[ "${dst,,}" == *.pdf ]] && [ "$(head -c 5 "$dst")" != "%PDF-" ]; then
    rm -f "$dst"; warn "not a PDF, skipped: ${src#"$UNPACK"/}"; return 0
  fi
  if [ ! -s "$dst" ]; then rm -f "$dst"; return 0; fi
  COPIED=$((COPIED + 1))
}

# take SRCDIR DSTDIR GLOB... [-- EXCLUDE_GLOB...]: copy the documents directly in SRCDIR
# (not below it) whose name, less any .gz, matches a GLOB and no EXCLUDE_GLOB.
take() {
  local src="$1" dst="$2"; shift 2
  local -a inc=() exc=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do inc+=("$1"); shift; done
  if [ $# -gt 0 ]; then shift; exc=("$@"); fi
  if [ ! -d "$src" ]; then warn "expected folder missing from package: ${src#"$UNPACK"/}"; return 0; fi
  local f name ok g
  for f in "$src"/*; do
    [ -f "$f" ] || continue
    name="$(basename "$f")"; name="${name%.gz}"
    ok=0
    # shellcheck disable=SC2053  # $g is a glob on purpose
    for g in "${inc[@]}"; do [[ "$name" == $g ]] && ok=1; done
    # shellcheck disable=SC2053
    for g in "${exc[@]}"; do [[ "$name" == $g ]] && ok=0; done
    [ "$ok" -eq 1 ] && take_file "$f" "$dst/$name"
  done
  return 0
}

# 1:9.18.28-1~deb12u2 -> 9.18.28 ; 2.2.0-6 -> 2.2.0 ; 1.2+dfsg-3 -> 1.2
upstream_version() {
  local v="$1"
  [[ "$v" == *:* ]] && v="${v#*:}"
  [[ "$v" == *-* ]] && v="${v%-*}"
  v="$(printf '%s' "$v" | sed -E 's/[+~](dfsg|ds|repack)[0-9.]*$//')"
  printf '%s' "$v"
}

# --- idempotence and safety -----------------------------------------------------------------
MARKER=".mcdewey-sample-library"
STAMP="$DEST/.complete"
if [ -f "$STAMP" ] && [ "$FORCE" -eq 0 ]; then
  if [ "$(sed -n 's/^recipe //p' "$STAMP")" = "$RECIPE" ]; then
    log "already complete: $DEST (delete $STAMP or pass --force to rebuild)"
    exit 0
  fi
  log "library in $DEST was built by an older recipe; rebuilding"
fi

for tool in apt-get apt-cache dpkg-deb gzip; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian/Ubuntu only; see scripts/install-deps.sh)"
done

if [ -e "$DEST" ] && [ ! -d "$DEST" ]; then die "$DEST exists and is not a directory"; fi
if [ -d "$DEST" ] && [ ! -e "$DEST/$MARKER" ] && [ -n "$(ls -A "$DEST")" ]; then
  die "$DEST exists, is not empty and was not made by this script; choose another DEST"
fi
mkdir -p "$DEST/.cache"
touch "$DEST/$MARKER"
DEST="$(cd "$DEST" && pwd)"
CACHE="$DEST/.cache"
STAGING="$DEST/.staging"

exec 9>"$DEST/.lock"
if command -v flock >/dev/null; then
  flock -n 9 || die "another run is building $DEST"
fi

UNPACK="$(mktemp -d "${TMPDIR:-/tmp}/mcdewey-sample.XXXXXX")"
cleanup() { rm -rf -- "$UNPACK"; }
trap cleanup EXIT

rm -f -- "$STAMP"
rm -rf -- "$STAGING"
mkdir -p "$STAGING"

# --- fetching -------------------------------------------------------------------------------
APT_OPTS=(-q)
# As root, apt drops to user _apt and warns that it cannot write to DEST/.cache.
[ "$(id -u)" -eq 0 ] && APT_OPTS+=(-o APT::Sandbox::User=root)

UPDATED=0
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2; exit }'; }

# cached_deb PKG [VERSION]: the newest cached .deb of PKG (of VERSION, if given), or nothing.
cached_deb() {
  local pkg="$1" want="${2:-}" f v best="" bestv=""
  for f in "$CACHE/${pkg}"_*.deb; do
    [ -f "$f" ] || continue
    v="$(dpkg-deb -f "$f" Version 2>/dev/null)" || continue
    [ "$(dpkg-deb -f "$f" Package 2>/dev/null)" = "$pkg" ] || continue
    if [ -n "$want" ]; then [ "$v" = "$want" ] && { printf '%s' "$f"; return 0; }; continue; fi
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$bestv"; then best="$f"; bestv="$v"; fi
  done
  [ -n "$best" ] && printf '%s' "$best"
  return 0
}

# fetch PKG: set FETCHED to the path of a usable .deb of PKG (downloading it if needed), or
# fail. Not run in a subshell, so that apt-get update happens at most once per run.
FETCHED=""
fetch() {
  local pkg="$1" cand deb old
  FETCHED=""
  cand="$(candidate "$pkg")"
  if { [ -z "$cand" ] || [ "$cand" = "(none)" ]; } && [ "$UPDATED" -eq 0 ] && [ "$(id -u)" -eq 0 ]; then
    log "  no candidate for $pkg in the apt lists: running apt-get update"
    apt-get -q update >&2 || warn "apt-get update failed"
    UPDATED=1
    cand="$(candidate "$pkg")"
  fi
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then
    deb="$(cached_deb "$pkg")"
    if [ -n "$deb" ]; then
      warn "$pkg unknown to apt; using cached $(basename "$deb")"; FETCHED="$deb"; return 0
    fi
    warn "$pkg: no such package in the apt sources"; return 1
  fi
  deb="$(cached_deb "$pkg" "$cand")"
  if [ -n "$deb" ] && dpkg-deb --info "$deb" >/dev/null 2>&1; then
    log "  $pkg $cand: cached"; FETCHED="$deb"; return 0
  fi
  [ -z "$deb" ] || rm -f -- "$deb"
  log "  $pkg $cand: downloading"
  if (cd "$CACHE" && apt-get "${APT_OPTS[@]}" download "$pkg=$cand" >&2); then
    deb="$(cached_deb "$pkg" "$cand")"
    if [ -n "$deb" ]; then
      for old in "$CACHE/${pkg}"_*.deb; do [ "$old" = "$deb" ] || rm -f -- "$old"; done
      FETCHED="$deb"; return 0
    fi
  fi
  deb="$(cached_deb "$pkg")"
  if [ -n "$deb" ]; then
    warn "download of $pkg failed; using cached $(basename "$deb")"; FETCHED="$deb"; return 0
  fi
  warn "download of $pkg failed"; return 1
}

# --- building -------------------------------------------------------------------------------
START=$SECONDS
log "building sample library in $DEST"
declare -a DONE=() FAILED=() CATALOG=() STAMP_LINES=()
i=0
for entry in "${PACKAGES[@]}"; do
  i=$((i + 1))
  IFS='|' read -r pkg product vendor name layout <<<"$entry"
  log "[$i/${#PACKAGES[@]}] $pkg -> $product"
  if ! fetch "$pkg"; then FAILED+=("$pkg (download)"); continue; fi
  deb="$FETCHED"
  full="$(dpkg-deb -f "$deb" Version)"
  version="$(upstream_version "$full")"
  root="$UNPACK/$pkg"
  rm -rf -- "$root"; mkdir -p "$root"
  if ! dpkg-deb -x "$deb" "$root" 2>/dev/null; then
    warn "$pkg: cannot unpack $(basename "$deb") (corrupt download?); removing it from the cache"
    rm -f -- "$deb"; rm -rf -- "$root"; FAILED+=("$pkg (unpack)"); continue
  fi
  out="$STAGING/$product/$version"
  COPIED=0
  "$layout" "$root" "$out"
  rm -rf -- "$root"
  if [ "$COPIED" -eq 0 ]; then
    warn "$pkg: no documents found; skipped"
    rm -rf -- "${STAGING:?}/$product"; FAILED+=("$pkg (no documents)"); continue
  fi
  log "  $product/$version: $COPIED files"
  DONE+=("$product")
  CATALOG+=("$product|$vendor|$name")
  STAMP_LINES+=("package $pkg $full -> $product/$version ($COPIED files)")
done

if [ "${#DONE[@]}" -lt "$MIN_PRODUCTS" ]; then
  die "only ${#DONE[@]} product(s) built (need $MIN_PRODUCTS); failed: ${FAILED[*]:-none}. Cache kept in $CACHE; re-run to retry."
fi

{
  echo "# Vendor and display name of each product in this library."
  for c in "${CATALOG[@]}"; do
    IFS='|' read -r product vendor name <<<"$c"
    printf '\n[products.%s]\nvendor = "%s"\nname = "%s"\n' "$product" "$vendor" "$name"
  done
} >"$STAGING/catalog.toml"

# Swap the new library in: drop everything visible from a previous build, move the staged
# entries in, then write the stamp last.
shopt -s nullglob
for old in "$DEST"/*; do rm -rf -- "$old"; done
for new in "$STAGING"/*; do mv -- "$new" "$DEST/"; done
shopt -u nullglob
rmdir -- "$STAGING"
{
  echo "recipe $RECIPE"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '%s\n' "${STAMP_LINES[@]}"
} >"$STAMP.tmp"
mv -- "$STAMP.tmp" "$STAMP"

# --- summary --------------------------------------------------------------------------------
ELAPSED=$((SECONDS - START))
log "done in ${ELAPSED}s"
[ "${#FAILED[@]}" -eq 0 ] || warn "not built: ${FAILED[*]}"
echo "Sample library: $DEST"
echo "Products (${#DONE[@]}):"
for product in "${DONE[@]}"; do
  for vdir in "$DEST/$product"/*/; do
    v="$(basename "$vdir")"
    nfiles="$(find "$vdir" -type f | wc -l)"
    ndocs="$(find "$vdir" -mindepth 1 -maxdepth 1 \( -type d -o -type f \) | wc -l)"
    printf '  %-14s %-10s %4d files in %3d docs  %6s\n' "$product" "$v" "$nfiles" "$ndocs" \
      "$(du -sh "$vdir" | cut -f1)"
  done
done
echo "Files by type:"
find "$DEST" -path "$DEST/.*" -prune -o -type f ! -name catalog.toml -print |
  sed -E 's/.*\.([^./]+)$/\1/' | tr '[:upper:]' '[:lower:]' | sort | uniq -c | sort -rn |
  awk '{ printf "  %-5s %5d\n", $2, $1 }'
printf 'Total: %d files, %s (excluding the download cache)\n' \
  "$(find "$DEST" -path "$DEST/.*" -prune -o -type f ! -name catalog.toml -print | wc -l)" \
  "$(du -sh --exclude=.cache "$DEST" | cut -f1)"
