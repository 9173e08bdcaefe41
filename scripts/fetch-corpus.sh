#!/usr/bin/env bash
# fetch-corpus.sh - build a corpus of real kernel modules for kobj's tests.
#
# Downloads Debian's unsigned Linux 6.1 image packages for amd64 and arm64
# (`apt-get download`), extracts their modules tree, and the matching
# Module.symvers from the linux-headers packages, into:
#
#   $CORPUS/<arch>/lib/modules/<kernel-release>/kernel/**.ko[.xz|.zst|.gz]
#   $CORPUS/<arch>/lib/modules/<kernel-release>/modules.{order,builtin,...}
#   $CORPUS/<arch>/Module.symvers      (if a headers package ships one)
#   $CORPUS/<arch>/VERSION             (key=value, Java-Properties friendly)
#
# Modules are kept exactly as shipped (compressed or not); VERSION records
# which in its `compression=` line.
#
# Environment:
#   KOBJ_CORPUS          corpus directory (default: <repo>/corpus)
#   KOBJ_CORPUS_ARCHES   architectures to fetch (default: "amd64 arm64 riscv64")
#
# riscv64 is not a Debian 12 architecture: its tree (Debian 13's 6.12 kernel) is
# fetched by scripts/fetch-corpus-trixie.sh with a private apt configuration.
#   KOBJ_KABI            force the 6.1.0-N ABI number instead of the newest
#
# Idempotent: an arch whose VERSION already names the chosen package and
# version is skipped.  Needs root for `dpkg --add-architecture` and
# `apt-get update` (only done when needed); everything else works unprivileged.
set -euo pipefail

log() { printf '[fetch-corpus] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
run() { printf '[fetch-corpus] + %s\n' "$*" >&2; "$@"; }

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${KOBJ_CORPUS:-$REPO_ROOT/corpus}
read -r -a ARCHES <<<"${KOBJ_CORPUS_ARCHES:-amd64 arm64 riscv64}"
KABI_FORCED=${KOBJ_KABI:-}
KSERIES=6.1.0

export DEBIAN_FRONTEND=noninteractive
# Keep apt quiet-ish but still show errors; wait for a busy apt/dpkg lock.
APT_OPTS=(-q -o DPkg::Lock::Timeout=300)

START_TS=$(date +%s)

for tool in apt-get apt-cache dpkg dpkg-deb tar find; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found (this script needs a Debian system)"
done

mkdir -p "$CORPUS"
CORPUS=$(cd "$CORPUS" && pwd)

# riscv64 comes from Debian 13 (trixie), through its own private apt configuration
TRIXIE_ARCHES=() BOOKWORM_ARCHES=()
for arch in "${ARCHES[@]}"; do
    case $arch in riscv64) TRIXIE_ARCHES+=("$arch") ;; *) BOOKWORM_ARCHES+=("$arch") ;; esac
done
if [ "${#TRIXIE_ARCHES[@]}" -gt 0 ]; then
    KOBJ_CORPUS=$CORPUS bash "$REPO_ROOT/scripts/fetch-corpus-trixie.sh" "${TRIXIE_ARCHES[@]}"
fi
[ "${#BOOKWORM_ARCHES[@]}" -gt 0 ] || exit 0
ARCHES=("${BOOKWORM_ARCHES[@]}")
log "repo root: $REPO_ROOT"
log "corpus:    $CORPUS"
log "arches:    ${ARCHES[*]}"

is_root() { [ "$(id -u)" -eq 0 ]; }

# ---------------------------------------------------------------------------
# apt helpers
# ---------------------------------------------------------------------------
APT_UPDATED=0
apt_update() {
    if [ "$APT_UPDATED" -eq 1 ]; then return 0; fi
    is_root || die "need root to run 'apt-get update' (package lists are missing or stale)"
    run apt-get "${APT_OPTS[@]}" update
    APT_UPDATED=1
}

arch_configured() {
    local arch=$1
    [ "$arch" = "$(dpkg --print-architecture)" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$arch"
}

# candidate_version PKG ARCH -> prints the candidate version or nothing
candidate_version() {
    local v
    v=$(apt-cache policy "$1:$2" 2>/dev/null | awk '/^  Candidate:/ {print $2; exit}')
    if [ -n "$v" ] && [ "$v" != "(none)" ]; then printf '%s\n' "$v"; fi
}

image_pkg()   { printf 'linux-image-%s-%s-%s-unsigned\n' "$KSERIES" "$1" "$2"; }  # ABI ARCH
headers_pkg() { printf 'linux-headers-%s-%s-%s\n' "$KSERIES" "$1" "$2"; }         # ABI ARCH

# apt-cache takes ~1s per call here, so look up every image candidate at once.
# CAND["<pkg>:<arch>"]=<candidate version>, for generic-flavour (no cloud/rt)
# unsigned 6.1.0-N images of the requested arches that apt can download.
declare -A CAND=()
scan_candidates() {
    CAND=()
    local native arch name spec ver
    local specs=()
    native=$(dpkg --print-architecture)
    local names
    names=$(apt-cache pkgnames "linux-image-$KSERIES-" 2>/dev/null \
        | { grep -E "^linux-image-${KSERIES//./\\.}-[0-9]+-[a-z0-9]+-unsigned\$" || true; })
    for arch in "${ARCHES[@]}"; do
        for name in $names; do
            case $name in *"-$arch-unsigned") specs+=("$name:$arch") ;; esac
        done
    done
    [ "${#specs[@]}" -gt 0 ] || return 0
    while read -r spec ver; do
        CAND[$spec]=$ver
    done < <(apt-cache policy "${specs[@]}" 2>/dev/null | awk -v native="$native" '
        /^[^ ].*:$/ { name = substr($0, 1, length($0) - 1)
                      if (name !~ /:[a-z0-9]+$/) name = name ":" native }
        /^  Candidate:/ { if ($2 != "(none)") print name, $2 }')
}

# known_abis ARCH -> ABI numbers (descending) that have an image candidate
known_abis() {
    local arch=$1 spec
    for spec in "${!CAND[@]}"; do
        case $spec in *":$arch") echo "$spec" ;; esac
    done | sed -nE "s/^linux-image-${KSERIES//./\\.}-([0-9]+)-${arch}-unsigned:${arch}\$/\1/p" | sort -rn -u
}

# ---------------------------------------------------------------------------
# 1. make sure apt knows every requested arch and its packages
# ---------------------------------------------------------------------------
added_arch=0
for arch in "${ARCHES[@]}"; do
    if ! arch_configured "$arch"; then
        is_root || die "need root to run 'dpkg --add-architecture $arch'"
        run dpkg --add-architecture "$arch"
        added_arch=1
    fi
done
if [ "$added_arch" -eq 1 ]; then apt_update; fi
scan_candidates
for arch in "${ARCHES[@]}"; do
    if [ -z "$(known_abis "$arch")" ] && [ "$APT_UPDATED" -eq 0 ]; then
        log "apt knows no $(image_pkg N "$arch") yet; refreshing package lists"
        apt_update
        scan_candidates
    fi
    [ -n "$(known_abis "$arch")" ] \
        || die "no linux-image-$KSERIES-*-$arch-unsigned package is known to apt"
done

# ---------------------------------------------------------------------------
# 2. choose the ABI: forced, else the newest one common to all arches,
#    else the newest per arch
# ---------------------------------------------------------------------------
declare -A ABI=()
common=""
if [ -n "$KABI_FORCED" ]; then
    for arch in "${ARCHES[@]}"; do ABI[$arch]=$KABI_FORCED; done
    log "ABI forced by KOBJ_KABI: $KSERIES-$KABI_FORCED"
else
    declare -A ABIS=()
    for arch in "${ARCHES[@]}"; do
        ABIS[$arch]=$(known_abis "$arch" | tr '\n' ' ')
        log "known $arch ABIs: ${ABIS[$arch]}"
    done
    # newest ABI present for every arch
    for abi in ${ABIS[${ARCHES[0]}]}; do
        ok=1
        for arch in "${ARCHES[@]}"; do
            case " ${ABIS[$arch]} " in *" $abi "*) ;; *) ok=0 ;; esac
        done
        if [ "$ok" -eq 1 ]; then common=$abi; break; fi
    done
    for arch in "${ARCHES[@]}"; do
        if [ -n "$common" ]; then
            ABI[$arch]=$common
        else
            ABI[$arch]=${ABIS[$arch]%% *}
            log "WARNING: no ABI common to all arches; using newest for $arch: ${ABI[$arch]}"
        fi
    done
fi

# ---------------------------------------------------------------------------
# 3. per arch: download, extract, record
# ---------------------------------------------------------------------------
DL_DIR=""
cleanup() {
    if [ -n "$DL_DIR" ] && [ -d "$DL_DIR" ]; then rm -rf "$DL_DIR"; fi
    if [ -n "${STAGE:-}" ] && [ -d "$STAGE" ]; then rm -rf "$STAGE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

DL_DIR=$(mktemp -d "$CORPUS/.download.XXXXXX")
chmod 755 "$DL_DIR"
# Let apt's sandbox user write here, avoiding "unsandboxed as root" notices.
if is_root && id _apt >/dev/null 2>&1; then chown _apt "$DL_DIR"; fi

# download PKG ARCH -> prints path of the .deb (retries once after apt-get update,
# in case the package lists were stale and the mirror dropped that version)
download() {
    local pkg=$1 arch=$2 spec deb
    if [ "$arch" = all ]; then spec=$pkg; else spec=$pkg:$arch; fi
    if ! (cd "$DL_DIR" && run apt-get "${APT_OPTS[@]}" download "$spec" >&2); then
        log "download of $spec failed; refreshing package lists and retrying once"
        APT_UPDATED=0
        apt_update
        (cd "$DL_DIR" && run apt-get "${APT_OPTS[@]}" download "$spec" >&2)
    fi
    local debs=("$DL_DIR/${pkg}"_*.deb)
    deb=${debs[0]}
    [ -f "$deb" ] || die "apt-get download $spec produced no .deb"
    printf '%s\n' "$deb"
}

# deb_members DEB -> tar member names (./path) from `dpkg-deb -c`,
# symlinks excluded
deb_members() {
    dpkg-deb -c "$1" | awk '$1 !~ /^l/ {print $6}'
}

SUMMARY=()
for arch in "${ARCHES[@]}"; do
    abi=${ABI[$arch]}
    img=$(image_pkg "$abi" "$arch")
    ver=${CAND[$img:$arch]:-}
    [ -n "$ver" ] || ver=$(candidate_version "$img" "$arch")
    [ -n "$ver" ] || die "$img:$arch has no download candidate"
    krel=$KSERIES-$abi-$arch
    adir=$CORPUS/$arch
    vfile=$adir/VERSION

    log "== $arch: $img $ver (kernel $krel)"
    if [ -f "$vfile" ] \
        && grep -qxF "package=$img" "$vfile" \
        && grep -qxF "version=$ver" "$vfile" \
        && [ -d "$adir/lib/modules/$krel/kernel" ]; then
        log "$vfile already matches; skipping $arch"
        SUMMARY+=("$arch: $img $ver (already present, skipped)")
        continue
    fi

    STAGE=$(mktemp -d "$CORPUS/.stage-$arch.XXXXXX")

    # -- modules -------------------------------------------------------------
    deb=$(download "$img" "$arch")
    # bookworm ships ./lib/modules; newer (usr-merged) packages ./usr/lib/modules.
    # (List to a file first: `grep -q` on a pipe trips pipefail via SIGPIPE.)
    deb_members "$deb" >"$DL_DIR/members.txt"
    if grep -q "^\./lib/modules/$krel/kernel/" "$DL_DIR/members.txt"; then
        prefix=./lib/modules
        xform=()
    elif grep -q "^\./usr/lib/modules/$krel/kernel/" "$DL_DIR/members.txt"; then
        prefix=./usr/lib/modules
        xform=(--transform 's,^\./usr/lib/modules,./lib/modules,')
    else
        die "$deb contains no lib/modules/$krel/kernel tree"
    fi
    log "extracting $prefix from $(basename "$deb") into $adir/lib/modules"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$STAGE" "${xform[@]}" "$prefix"
    run rm -f "$deb"

    kdir=$STAGE/lib/modules/$krel/kernel
    [ -d "$kdir" ] || die "extraction did not produce lib/modules/$krel/kernel"
    n_plain=$(find "$kdir" -type f -name '*.ko' | wc -l)
    n_xz=$(find "$kdir" -type f -name '*.ko.xz' | wc -l)
    n_zst=$(find "$kdir" -type f -name '*.ko.zst' | wc -l)
    n_gz=$(find "$kdir" -type f -name '*.ko.gz' | wc -l)
    n_total=$((n_plain + n_xz + n_zst + n_gz))
    [ "$n_total" -gt 0 ] || die "no kernel modules found under $kdir"
    comp=()
    [ "$n_plain" -gt 0 ] && comp+=("none:$n_plain")
    [ "$n_xz" -gt 0 ] && comp+=("xz:$n_xz")
    [ "$n_zst" -gt 0 ] && comp+=("zstd:$n_zst")
    [ "$n_gz" -gt 0 ] && comp+=("gzip:$n_gz")
    compression=$(IFS=,; echo "${comp[*]}")
    log "$arch: $n_total modules ($compression)"

    # -- Module.symvers ------------------------------------------------------
    # Usually in linux-headers-<abi>-<arch>; fall back to the -common package.
    sym_pkg="" sym_ver="" sym_path=""
    for cand in "$(headers_pkg "$abi" "$arch"):$arch" "linux-headers-$KSERIES-$abi-common:all"; do
        hp=${cand%:*} ha=${cand##*:}
        # Architecture: all packages live under the native arch in apt's cache.
        hv=$(candidate_version "$hp" "$([ "$ha" = all ] && dpkg --print-architecture || echo "$ha")")
        if [ -z "$hv" ]; then log "$hp not known to apt; skipping"; continue; fi
        hdeb=$(download "$hp" "$ha")
        deb_members "$hdeb" >"$DL_DIR/members.txt"
        member=$(grep -m1 -E '^\./usr/src/linux-headers-[^/]+/Module\.symvers$' "$DL_DIR/members.txt" || true)
        if [ -n "$member" ]; then
            log "extracting $member from $(basename "$hdeb")"
            dpkg-deb --fsys-tarfile "$hdeb" | tar -x -O "$member" >"$STAGE/Module.symvers"
            [ -s "$STAGE/Module.symvers" ] || die "extracted Module.symvers is empty"
            sym_pkg=$hp sym_ver=$hv sym_path=${member#.}
            run rm -f "$hdeb"
            break
        fi
        log "$hp has no Module.symvers"
        run rm -f "$hdeb"
    done
    if [ -z "$sym_pkg" ]; then log "WARNING: no Module.symvers found for $arch"; fi

    # -- record and swap into place -----------------------------------------
    {
        echo "# written by scripts/fetch-corpus.sh"
        echo "package=$img"
        echo "version=$ver"
        echo "arch=$arch"
        echo "kernel=$krel"
        echo "modules=$n_total"
        echo "compression=$compression"
        if [ -n "$sym_pkg" ]; then
            echo "symvers_package=$sym_pkg"
            echo "symvers_version=$sym_ver"
            echo "symvers_source=$sym_path"
        fi
    } >"$STAGE/VERSION"

    if [ -e "$adir" ]; then run rm -rf "$adir"; fi
    mv "$STAGE" "$adir"
    chmod 755 "$adir"
    STAGE=""
    SUMMARY+=("$arch: $img $ver, $n_total modules ($compression), Module.symvers: $([ -n "$sym_pkg" ] && echo "$adir/Module.symvers from $sym_pkg" || echo none)")
done

rm -rf "$DL_DIR"
DL_DIR=""

log "---- summary ----"
for line in "${SUMMARY[@]}"; do log "$line"; done
log "corpus size: $(du -sh "$CORPUS" | cut -f1) in $CORPUS"
log "done in $(( $(date +%s) - START_TS ))s"
