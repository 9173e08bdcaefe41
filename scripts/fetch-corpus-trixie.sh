#!/usr/bin/env bash
# fetch-corpus-trixie.sh - the riscv64 tree of kobj's real-module corpus.
#
# Debian 12 (whose 6.1 kernels fill corpus/amd64 and corpus/arm64) has no riscv64
# port; Debian 13 "trixie" has one. This script fetches trixie's riscv64 kernel image
# package (linux-image-<abi>-riscv64: riscv64 has no signed/unsigned split) and the
# Module.symvers of its linux-headers-<abi>-riscv64 package with `apt-get download`
# against a PRIVATE apt configuration: its own sources list (trixie main, riscv64
# only, signed by Debian's archive keyring), its own state and cache directories under
# $CORPUS/.apt-trixie-<arch>. The machine's /etc/apt and dpkg are never touched, so
# neither root nor `dpkg --add-architecture` is needed.
#
# Result, as fetch-corpus.sh writes for the other architectures:
#   $CORPUS/<arch>/lib/modules/<kernel-release>/kernel/**.ko.xz   (kept as shipped)
#   $CORPUS/<arch>/lib/modules/<kernel-release>/modules.{order,builtin,...}
#   $CORPUS/<arch>/Module.symvers
#   $CORPUS/<arch>/VERSION             (key=value, Java-Properties friendly)
#
# Usage: fetch-corpus-trixie.sh [ARCH...]     (default: riscv64)
# Environment:
#   KOBJ_CORPUS        corpus directory (default: <repo>/corpus)
#   KOBJ_TRIXIE_ABI    force the ABI, e.g. "6.12.117+deb13", instead of the newest
#
# Idempotent: package lists already in the private state directory are reused (no
# network) and an arch whose VERSION already names the chosen package and version is
# skipped; the lists are refreshed only when they are missing or a download fails.
set -euo pipefail

log() { printf '[fetch-corpus-trixie] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
run() { printf '[fetch-corpus-trixie] + %s\n' "$*" >&2; "$@"; }

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORPUS=${KOBJ_CORPUS:-$REPO_ROOT/corpus}
ARCHES=("$@")
[ "${#ARCHES[@]}" -gt 0 ] || ARCHES=(riscv64)
ABI_FORCED=${KOBJ_TRIXIE_ABI:-}
SUITE=trixie
MIRROR=http://deb.debian.org/debian
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

for tool in apt-get apt-cache dpkg-deb tar find xz; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found (this script needs a Debian system)"
done
[ -r "$KEYRING" ] || die "$KEYRING is missing (package debian-archive-keyring)"

mkdir -p "$CORPUS"
CORPUS=$(cd "$CORPUS" && pwd)
START_TS=$(date +%s)

STAGE="" DL_DIR=""
cleanup() {
    if [ -n "$DL_DIR" ] && [ -d "$DL_DIR" ]; then rm -rf "$DL_DIR"; fi
    if [ -n "$STAGE" ] && [ -d "$STAGE" ]; then rm -rf "$STAGE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

SUMMARY=()
for arch in "${ARCHES[@]}"; do
    # -- private apt -----------------------------------------------------------
    APT_DIR=$CORPUS/.apt-$SUITE-$arch
    mkdir -p "$APT_DIR/etc/preferences.d" "$APT_DIR/state/lists/partial" "$APT_DIR/cache/archives/partial"
    printf 'deb [arch=%s signed-by=%s] %s %s main\n' "$arch" "$KEYRING" "$MIRROR" "$SUITE" \
        >"$APT_DIR/etc/sources.list"
    [ -f "$APT_DIR/state/status" ] || : >"$APT_DIR/state/status"
    APT=(-q
        -o "Dir::Etc::SourceList=$APT_DIR/etc/sources.list" -o Dir::Etc::SourceParts=-
        -o "Dir::Etc::Preferences=$APT_DIR/etc/preferences" -o "Dir::Etc::PreferencesParts=$APT_DIR/etc/preferences.d"
        -o "Dir::State=$APT_DIR/state" -o "Dir::State::status=$APT_DIR/state/status"
        -o "Dir::Cache=$APT_DIR/cache"
        -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
        -o Acquire::Languages=none -o APT::Get::List-Cleanup=true)
    # apt drops to its sandbox user _apt when run as root; that user cannot open our
    # files on every machine (nor /dev/null in some containers), and nothing here is
    # installed, so the private apt keeps root's identity.
    if [ "$(id -u)" -eq 0 ]; then APT+=(-o APT::Sandbox::User=root); fi

    updated=0
    apt_update() {
        [ "$updated" -eq 0 ] || return 0
        run apt-get "${APT[@]}" update >&2
        updated=1
    }
    lists() { find "$APT_DIR/state/lists" -maxdepth 1 -name "*_${SUITE}_main_binary-${arch}_Packages*" | grep -q .; }
    lists || apt_update

    # newest ABI: linux-image-<6.x.y+debNN>-<arch> (not the -dbg, not the meta package)
    pick_abi() {
        apt-cache "${APT[@]}" pkgnames linux-image- 2>/dev/null \
            | sed -nE "s/^linux-image-([0-9]+\.[0-9]+\.[0-9]+\+deb[0-9]+)-${arch}\$/\1/p" \
            | sort -V | tail -n1
    }
    candidate() {
        apt-cache "${APT[@]}" policy "$1" 2>/dev/null | awk '/^  Candidate:/ { if ($2 != "(none)") print $2; exit }'
    }
    abi=${ABI_FORCED:-$(pick_abi)}
    [ -n "$abi" ] || die "no linux-image-*-$arch package in $SUITE"
    img=linux-image-$abi-$arch
    hdr=linux-headers-$abi-$arch
    ver=$(candidate "$img")
    if [ -z "$ver" ] && [ "$updated" -eq 0 ]; then apt_update; ver=$(candidate "$img"); fi
    [ -n "$ver" ] || die "$img has no download candidate in $SUITE"
    krel=$abi-$arch
    adir=$CORPUS/$arch
    vfile=$adir/VERSION

    log "== $arch: $img $ver (kernel $krel, Debian $SUITE)"
    if [ -f "$vfile" ] && grep -qxF "package=$img" "$vfile" && grep -qxF "version=$ver" "$vfile" \
        && [ -d "$adir/lib/modules/$krel/kernel" ] && [ -f "$adir/Module.symvers" ]; then
        log "$vfile already matches; skipping $arch"
        SUMMARY+=("$arch: $img $ver (already present, skipped)")
        continue
    fi

    DL_DIR=$(mktemp -d "$CORPUS/.download-$arch.XXXXXX")
    STAGE=$(mktemp -d "$CORPUS/.stage-$arch.XXXXXX")
    download() { # PKG -> path of its .deb; refreshes the lists once if apt has a stale URL
        if ! (cd "$DL_DIR" && run apt-get "${APT[@]}" download "$1" >&2); then
            [ "$updated" -eq 0 ] || die "apt-get download $1 failed"
            log "download of $1 failed; refreshing the $SUITE lists and retrying once"
            apt_update
            (cd "$DL_DIR" && run apt-get "${APT[@]}" download "$1" >&2)
        fi
        local debs=("$DL_DIR/$1"_*.deb)
        [ -f "${debs[0]}" ] || die "apt-get download $1 produced no .deb"
        printf '%s\n' "${debs[0]}"
    }

    # -- modules ---------------------------------------------------------------
    deb=$(download "$img")
    dpkg-deb -c "$deb" | awk '$1 !~ /^l/ {print $6}' >"$DL_DIR/members.txt"
    prefix=""
    for p in ./usr/lib/modules ./lib/modules; do
        if grep -q "^$p/$krel/kernel/" "$DL_DIR/members.txt"; then prefix=$p; break; fi
    done
    [ -n "$prefix" ] || die "$deb contains no lib/modules/$krel/kernel tree"
    log "extracting $prefix from $(basename "$deb") into $adir/lib/modules"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$STAGE" --transform "s,^${prefix//./\\.},./lib/modules," "$prefix"
    run rm -f "$deb"
    kdir=$STAGE/lib/modules/$krel/kernel
    [ -d "$kdir" ] || die "extraction did not produce lib/modules/$krel/kernel"
    comp=() n_total=0
    for c in none:ko xz:ko.xz zstd:ko.zst gzip:ko.gz; do
        n=$(find "$kdir" -type f -name "*.${c#*:}" | wc -l)
        if [ "$n" -gt 0 ]; then comp+=("${c%%:*}:$n"); n_total=$((n_total + n)); fi
    done
    [ "$n_total" -gt 0 ] || die "no kernel modules found under $kdir"
    compression=$(IFS=,; echo "${comp[*]}")
    log "$arch: $n_total modules ($compression)"

    # -- Module.symvers --------------------------------------------------------
    hver=$(candidate "$hdr")
    [ -n "$hver" ] || die "$hdr has no download candidate in $SUITE"
    hdeb=$(download "$hdr")
    dpkg-deb -c "$hdeb" | awk '$1 !~ /^l/ {print $6}' >"$DL_DIR/members.txt"
    member=$(grep -m1 -E '^\./usr/src/linux-headers-[^/]+/Module\.symvers$' "$DL_DIR/members.txt" || true)
    [ -n "$member" ] || die "$hdr ships no Module.symvers"
    log "extracting $member from $(basename "$hdeb")"
    dpkg-deb --fsys-tarfile "$hdeb" | tar -x -O "$member" >"$STAGE/Module.symvers"
    [ -s "$STAGE/Module.symvers" ] || die "extracted Module.symvers is empty"
    run rm -f "$hdeb"

    # -- record and swap into place --------------------------------------------
    {
        echo "# written by scripts/fetch-corpus-trixie.sh (Debian $SUITE, private apt in ${APT_DIR#"$CORPUS"/})"
        echo "package=$img"
        echo "version=$ver"
        echo "arch=$arch"
        echo "kernel=$krel"
        echo "modules=$n_total"
        echo "compression=$compression"
        echo "symvers_package=$hdr"
        echo "symvers_version=$hver"
        echo "symvers_source=${member#.}"
    } >"$STAGE/VERSION"
    if [ -e "$adir" ] || [ -L "$adir" ]; then run rm -rf "$adir"; fi
    mv "$STAGE" "$adir"
    chmod 755 "$adir"
    STAGE=""
    rm -rf "$DL_DIR"
    DL_DIR=""
    SUMMARY+=("$arch: $img $ver, $n_total modules ($compression), Module.symvers from $hdr")
done

log "---- summary ----"
for line in "${SUMMARY[@]}"; do log "$line"; done
log "done in $(( $(date +%s) - START_TS ))s"
