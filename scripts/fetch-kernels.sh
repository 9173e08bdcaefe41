#!/usr/bin/env bash
# fetch-kernels.sh - fetch the Debian kernels that kobj's real-kernel oracle boots.
#
# For each kernel below, `apt-get download`s Debian's *-unsigned image package
# (its modules carry no signature, so the tests may change them) and the
# matching linux-headers package (for Module.symvers), and busybox-static of
# the kernel's architecture, and extracts into
#
#   $KERNELS/<release>/vmlinuz            the boot image
#   $KERNELS/<release>/System.map         the kernel's symbol map
#   $KERNELS/<release>/config             the kernel's .config
#   $KERNELS/<release>/lib/modules/<release>/...   the module tree, with modules.dep,
#                                         modules.softdep and modules.alias from kmod's depmod
#   $KERNELS/<release>/Module.symvers     (from linux-headers)
#   $KERNELS/<release>/busybox            static busybox of the kernel's arch
#   $KERNELS/<release>/KERNEL             key=value: arch, release, package, version
#
# Kernels:
#   6.1 amd64 and 6.1 arm64 of the corpus's ABI (corpus/<arch>/VERSION, written by
#   fetch-corpus.sh; else the newest 6.1.0-N), and the newest 6.12 amd64 of
#   bookworm-security/backports (linux-image-6.12.*+deb12-amd64-unsigned).
#
# Nothing here is committed (kernels/ is in .gitignore).
#
# Environment:
#   KOBJ_KERNELS        output directory (default: <repo>/kernels)
#   KOBJ_KERNEL_SET     which kernels (default: "6.1-amd64 6.1-arm64 6.12-amd64")
#
# Idempotent: a kernel whose KERNEL file names the chosen package version is skipped.
set -euo pipefail

log() { printf '[fetch-kernels] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KERNELS=${KOBJ_KERNELS:-$REPO_ROOT/kernels}
CORPUS=${KOBJ_CORPUS:-$REPO_ROOT/corpus}
read -r -a SET <<<"${KOBJ_KERNEL_SET:-6.1-amd64 6.1-arm64 6.12-amd64}"
export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-q -o DPkg::Lock::Timeout=300)
START_TS=$(date +%s)

for tool in apt-get apt-cache dpkg-deb tar find depmod; do
    command -v "$tool" >/dev/null 2>&1 || die "required tool '$tool' not found (this script needs a Debian system)"
done
mkdir -p "$KERNELS"
KERNELS=$(cd "$KERNELS" && pwd)

APT_UPDATED=0
apt_update() {
    [ "$APT_UPDATED" -eq 0 ] || return 0
    [ "$(id -u)" -eq 0 ] || die "need root to run 'apt-get update'"
    apt-get "${APT_OPTS[@]}" update >&2
    APT_UPDATED=1
}
ensure_arch() {
    local arch=$1
    [ "$arch" = "$(dpkg --print-architecture)" ] && return 0
    dpkg --print-foreign-architectures | grep -qx "$arch" && return 0
    [ "$(id -u)" -eq 0 ] || die "need root to run 'dpkg --add-architecture $arch'"
    dpkg --add-architecture "$arch"
    APT_UPDATED=0
    apt_update
}
candidate() { # PKG:ARCH -> version or nothing
    apt-cache policy "$1" 2>/dev/null | awk '/^  Candidate:/ { if ($2 != "(none)") print $2; exit }'
}
# download DIR PKG:ARCH -> path of the .deb
download() {
    local dir=$1 spec=$2 pkg=${2%%:*}
    if ! (cd "$dir" && apt-get "${APT_OPTS[@]}" download "$spec" >&2); then
        log "download of $spec failed; refreshing package lists and retrying once"
        apt_update
        (cd "$dir" && apt-get "${APT_OPTS[@]}" download "$spec" >&2)
    fi
    local debs=("$dir/${pkg}"_*.deb)
    [ -f "${debs[0]}" ] || die "apt-get download $spec produced no .deb"
    printf '%s\n' "${debs[0]}"
}

# release_of SERIES ARCH -> kernel release whose unsigned image apt can download
release_of() {
    local series=$1 arch=$2 abi names
    if [ "$series" = 6.1 ]; then
        abi=""
        if [ -f "$CORPUS/$arch/VERSION" ]; then
            abi=$(sed -nE 's/^kernel=6\.1\.0-([0-9]+)-.*/\1/p' "$CORPUS/$arch/VERSION")
        fi
        if [ -z "$abi" ]; then
            abi=$(apt-cache pkgnames linux-image-6.1.0- | sed -nE "s/^linux-image-6\.1\.0-([0-9]+)-$arch-unsigned\$/\1/p" | sort -n | tail -1)
        fi
        [ -n "$abi" ] || die "no linux-image-6.1.0-N-$arch-unsigned known to apt"
        printf '6.1.0-%s-%s\n' "$abi" "$arch"
    else
        names=$(apt-cache pkgnames "linux-image-$series." | sed -nE "s/^linux-image-($series\.[0-9]+\+deb[0-9]+-$arch)-unsigned\$/\1/p" | sort -V)
        [ -n "$names" ] || die "no linux-image-$series.*-$arch-unsigned known to apt (bookworm-security/backports)"
        # newest whose headers also exist
        local r
        for r in $(tac <<<"$names"); do
            if [ -n "$(candidate "linux-headers-$r:$arch")" ]; then printf '%s\n' "$r"; return; fi
        done
        tail -1 <<<"$names"
    fi
}

SUMMARY=()
for entry in "${SET[@]}"; do
    series=${entry%-*} arch=${entry##*-}
    ensure_arch "$arch"
    rel=$(release_of "$series" "$arch")
    img=linux-image-$rel-unsigned
    ver=$(candidate "$img:$arch")
    if [ -z "$ver" ]; then apt_update; ver=$(candidate "$img:$arch"); fi
    [ -n "$ver" ] || die "$img:$arch has no download candidate"
    out=$KERNELS/$rel
    if [ -f "$out/KERNEL" ] && grep -qxF "version=$ver" "$out/KERNEL" && [ -f "$out/vmlinuz" ] && [ -x "$out/busybox" ]; then
        log "$rel: $img $ver already present"
        SUMMARY+=("$rel: present")
        continue
    fi
    log "== $rel: $img $ver"
    stage=$(mktemp -d "$KERNELS/.stage-$rel.XXXXXX")
    chmod 755 "$stage"
    if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then chown _apt "$stage"; fi
    deb=$(download "$stage" "$img:$arch")
    mkdir -p "$stage/x"
    dpkg-deb -x "$deb" "$stage/x"
    rm -f "$deb"
    mkdir -p "$stage/out/lib/modules"
    vml=$(find "$stage/x/boot" -maxdepth 1 -name "vmlinu*-$rel" | head -1)
    [ -n "$vml" ] || die "$img has no boot/vmlinu*-$rel"
    mv "$vml" "$stage/out/vmlinuz"
    mv "$stage/x/boot/System.map-$rel" "$stage/out/System.map"
    mv "$stage/x/boot/config-$rel" "$stage/out/config"
    if [ -d "$stage/x/lib/modules/$rel" ]; then
        mv "$stage/x/lib/modules/$rel" "$stage/out/lib/modules/$rel"
    else
        mv "$stage/x/usr/lib/modules/$rel" "$stage/out/lib/modules/$rel"
    fi
    rm -rf "$stage/x"
    # modules.dep, modules.softdep, modules.alias: the packages leave them to postinst's depmod
    depmod -b "$stage/out" "$rel"
    # Module.symvers from the headers package
    hdr=linux-headers-$rel
    hver=$(candidate "$hdr:$arch")
    if [ -n "$hver" ]; then
        hdeb=$(download "$stage" "$hdr:$arch")
        member=$(dpkg-deb -c "$hdeb" | awk '{print $6}' | grep -m1 -E '^\./usr/src/linux-headers-[^/]+/Module\.symvers$' || true)
        if [ -n "$member" ]; then
            dpkg-deb --fsys-tarfile "$hdeb" | tar -x -O "$member" >"$stage/out/Module.symvers"
        else
            log "WARNING: $hdr has no Module.symvers"
        fi
        rm -f "$hdeb"
    else
        log "WARNING: $hdr not known to apt; no Module.symvers"
    fi
    # busybox-static of the kernel's architecture
    bdeb=$(download "$stage" "busybox-static:$arch")
    mkdir -p "$stage/bb"
    dpkg-deb -x "$bdeb" "$stage/bb"
    rm -f "$bdeb"
    mv "$stage/bb/bin/busybox" "$stage/out/busybox"
    chmod 755 "$stage/out/busybox"
    rm -rf "$stage/bb"
    {
        echo "# written by scripts/fetch-kernels.sh"
        echo "package=$img"
        echo "version=$ver"
        echo "arch=$arch"
        echo "release=$rel"
        echo "series=$series"
        echo "modules=$(find "$stage/out/lib/modules/$rel/kernel" -type f -name '*.ko*' | wc -l)"
    } >"$stage/out/KERNEL"
    rm -rf "$out"
    mv "$stage/out" "$out"
    rm -rf "$stage"
    SUMMARY+=("$rel: $img $ver")
done
log "---- summary ----"
for s in "${SUMMARY[@]}"; do log "$s"; done
log "kernels: $(du -sh "$KERNELS" | cut -f1) in $KERNELS; done in $(( $(date +%s) - START_TS ))s"
