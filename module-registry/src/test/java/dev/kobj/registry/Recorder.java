package dev.kobj.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Records every command handlers receive ("INIT a", "FINI a") and lets a test make one fail. */
final class Recorder {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Map<String, ModuleException> failures = new ConcurrentHashMap<>();

    ModuleHandler handler() {
        return (cmd, ctx) -> {
            calls.add(cmd + " " + ctx.name());
            ModuleException e = failures.get(cmd + " " + ctx.name());
            if (e != null) {
                throw e;
            }
            if (cmd == ModuleCommand.STAT) {
                ctx.report("id", Integer.toString(ctx.id()));
            }
        };
    }

    void fail(ModuleCommand cmd, String module, ModuleException.Errno errno) {
        failures.put(cmd + " " + module, new ModuleException(errno, module + " refuses " + cmd));
    }

    List<String> of(ModuleCommand cmd) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.startsWith(cmd + " ")).map(c -> c.substring(cmd.name().length() + 1))
                    .toList();
        }
    }
}
