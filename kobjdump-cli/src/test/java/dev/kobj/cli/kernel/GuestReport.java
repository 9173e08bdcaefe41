package dev.kobj.cli.kernel;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kernel reported in one boot, typed: per load its errno and dmesg, per dumped module its
 * sysfs view and peeked bytes, and the last /proc/modules and module kallsyms.
 */
public final class GuestReport {
    /** errno of a load that had not returned after its time budget (kload's exit status 254). */
    public static final int HANG = 254;

    /** @param errno 0 on success, the errno, or {@link #HANG} */
    public record Load(String name, int errno, String dmesg) {
    }

    /** One line of /proc/modules. */
    public record ProcModule(String name, long size, int refcount, List<String> usedBy, String state, long base) {
    }

    /** One module line of /proc/kallsyms. */
    public record Kallsym(long address, char type, String name, String module) {
    }

    /** Bytes read from the guest at {@code address}. */
    public record Peeked(long address, byte[] bytes) {
    }

    /** sysfs of one module. */
    public record Dump(String name, Map<String, Long> sections, Map<String, String> attrs, List<String> holders,
            Map<String, Peeked> peeks) {
    }

    public final Map<String, Load> loads = new LinkedHashMap<>();
    public final Map<String, Load> unloads = new LinkedHashMap<>();
    public final Map<String, Dump> dumps = new LinkedHashMap<>();
    public final Map<String, ProcModule> modules = new LinkedHashMap<>();
    public final List<Kallsym> kallsyms = new ArrayList<>();
    /** The whole /proc/kallsyms of the last snapshot (kernel and module symbols). */
    public String kallsymsText = "";
    /** Loads the guest started but never reported (it died or hung in them). */
    public final List<String> lost = new ArrayList<>();
    public final List<String> corrupt = new ArrayList<>();
    public int boots;
    public double seconds;

    void add(ConsoleRecords r) {
        corrupt.addAll(r.corrupt());
        for (var e : r.records().entrySet()) {
            String label = e.getKey();
            String text = e.getValue();
            int sp = label.indexOf(' ');
            String kind = label.substring(0, sp);
            String arg = label.substring(sp + 1);
            switch (kind) {
                case "load" -> loads.put(arg, load(arg, text));
                case "unload" -> unloads.put(arg, load(arg, text));
                case "dump" -> dumps.put(arg, dump(arg, text));
                case "modules" -> {
                    modules.clear();
                    for (String l : text.split("\n")) {
                        String[] f = l.trim().split("\\s+");
                        if (f.length >= 6) {
                            List<String> used = new ArrayList<>();
                            for (String u : f[3].split(",")) {
                                // "[permanent]": a module with init and no exit (it cannot be
                                // unloaded), printed among the users by kernel/module/procfs.c
                                if (!u.isEmpty() && !u.equals("-") && !u.equals("[permanent]")) {
                                    used.add(u);
                                }
                            }
                            modules.put(f[0], new ProcModule(f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]), used,
                                    f[4], Long.parseUnsignedLong(f[5].replace("0x", ""), 16)));
                        }
                    }
                }
                case "kallsyms" -> {
                    kallsymsText = text;
                    kallsyms.clear();
                    for (String l : text.split("\n")) {
                        String[] f = l.trim().split("\\s+");
                        if (f.length == 4 && f[3].startsWith("[")) {
                            kallsyms.add(new Kallsym(Long.parseUnsignedLong(f[0], 16), f[1].charAt(0), f[2],
                                    f[3].substring(1, f[3].length() - 1)));
                        }
                    }
                }
                default -> throw new IllegalStateException("unknown record " + label);
            }
        }
    }

    private static Load load(String name, String text) {
        int nl = text.indexOf('\n');
        String first = nl < 0 ? text : text.substring(0, nl);
        String e = first.replace("errno ", "").trim();
        return new Load(name, Integer.parseInt(e), nl < 0 ? "" : text.substring(nl + 1));
    }

    private static Dump dump(String name, String text) {
        Map<String, Long> sections = new LinkedHashMap<>();
        Map<String, String> attrs = new LinkedHashMap<>();
        List<String> holders = new ArrayList<>();
        Map<String, Peeked> peeks = new LinkedHashMap<>();
        for (String l : text.split("\n")) {
            String[] f = l.split(" ", 4);
            switch (f[0]) {
                case "section" -> sections.put(f[1], Long.parseUnsignedLong(f[2].replace("0x", ""), 16));
                case "attr" -> attrs.put(f[1], f.length > 2 ? l.substring(6 + f[1].length()).trim() : "");
                case "holder" -> holders.add(f[1]);
                case "peek" -> {
                    if (f.length == 4 && !f[3].isBlank()) {
                        peeks.put(f[1], new Peeked(Long.parseUnsignedLong(f[2].replace("0x", ""), 16),
                                HexFormat.of().parseHex(f[3].trim())));
                    }
                }
                default -> {
                }
            }
        }
        return new Dump(name, sections, attrs, holders, peeks);
    }

    /** {@return the module lines of kallsyms for {@code module}} */
    public List<Kallsym> kallsyms(String module) {
        return kallsyms.stream().filter(k -> k.module().equals(module)).toList();
    }

    /** {@return the modules that loaded (errno 0)} */
    public List<String> loaded() {
        return loads.values().stream().filter(l -> l.errno() == 0).map(Load::name).toList();
    }
}
