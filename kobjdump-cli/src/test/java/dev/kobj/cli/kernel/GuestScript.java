package dev.kobj.cli.kernel;

import java.util.List;

/**
 * The guest's /init: a busybox sh script that mounts proc, sysfs and devtmpfs, lowers the
 * console log level to 1 (so kernel messages do not interleave with the records), runs the
 * steps and powers off. Each result leaves the guest as a record on the console:
 * {@code @@KOBJ NONCE BEGIN LABEL}, the gzip-compressed text in base64 lines,
 * {@code @@KOBJ NONCE END LABEL}; a load first prints {@code @@KOBJ NONCE START LABEL} so that
 * the host knows which load was under way when the guest died or hung. The random nonce keeps
 * any other console text from being taken for a marker.
 */
final class GuestScript {
    private GuestScript() {
    }

    static String of(String nonce, List<GuestStep> steps, int loadSeconds) {
        StringBuilder s = new StringBuilder();
        s.append("""
                #!/bin/busybox sh
                /bin/busybox --install -s /bin
                export PATH=/bin
                mkdir -p /proc /sys /dev /tmp
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                mount -t devtmpfs dev /dev
                echo 1 > /proc/sys/kernel/printk
                N=%s
                T=%d
                rec() { echo "@@KOBJ $N BEGIN $1"; gzip -c /tmp/r | base64; echo "@@KOBJ $N END $1"; }
                ld() {
                  echo "@@KOBJ $N START load $1"
                  dmesg -c >/dev/null
                  kload load "$2" "$3" $T; e=$?
                  { echo "errno $e"; dmesg -c; } > /tmp/r; rec "load $1"
                }
                ul() {
                  dmesg -c >/dev/null
                  kload unload "$1"; e=$?
                  { echo "errno $e"; dmesg -c; } > /tmp/r; rec "unload $1"
                }
                dump() {
                  m=$1; shift
                  {
                    if cd /sys/module/$m/sections 2>/dev/null; then
                      for f in .[!.]* *; do [ -f "$f" ] && echo "section $f $(cat "$f")"; done
                      cd /
                    fi
                    for a in coresize initsize refcnt taint initstate; do
                      [ -f /sys/module/$m/$a ] && echo "attr $a $(cat /sys/module/$m/$a)"
                    done
                    for h in /sys/module/$m/holders/*; do [ -e "$h" ] && echo "holder ${h##*/}"; done
                    while [ $# -ge 2 ]; do
                      a=$(cat "/sys/module/$m/sections/$1" 2>/dev/null) && echo "peek $1 $a $(kload peek $a $2)"
                      shift 2
                    done
                  } > /tmp/r
                  rec "dump $m"
                }
                snap() {
                  cat /proc/modules > /tmp/r; rec "modules $1"
                  cat /proc/kallsyms > /tmp/r; rec "kallsyms $1"
                }
                """.formatted(nonce, loadSeconds));
        for (GuestStep step : steps) {
            switch (step) {
                case GuestStep.Load l -> s.append("ld ").append(l.name()).append(' ').append(l.file()).append(" '")
                        .append(l.params().replace("'", "")).append("'\n");
                case GuestStep.Unload u -> s.append("ul ").append(u.name()).append('\n');
                case GuestStep.Dump d -> {
                    s.append("dump ").append(d.name());
                    for (GuestStep.Peek p : d.peeks()) {
                        s.append(" '").append(p.section()).append("' ").append(p.length());
                    }
                    s.append('\n');
                }
                case GuestStep.Snapshot n -> s.append("snap ").append(n.label()).append('\n');
            }
        }
        s.append("echo \"@@KOBJ $N DONE\"\npoweroff -f\n");
        return s.toString();
    }
}
