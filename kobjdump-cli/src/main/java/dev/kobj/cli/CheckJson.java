package dev.kobj.cli;

import dev.kobj.link.LinkException;
import dev.kobj.link.LoadErrno;
import java.util.List;
import java.util.Locale;

/**
 * {@code kobjdump check --json}: one object per module (file, verdict "load", "refused" or
 * "unreadable", the errno the kernel would return with its number, every problem with its
 * kind, symbol, message and errno, relocations applied), then a summary.
 */
final class CheckJson {
    private CheckJson() {
    }

    static String of(List<CheckCommand.Result> results, boolean checksOnly, long modules, long ok, long refused,
            long unreadable, long relocations, double secs) {
        StringBuilder sb = new StringBuilder();
        Json j = new Json(sb);
        j.beginObject().name("modules").beginArray();
        for (CheckCommand.Result r : results) {
            j.beginObject().field("file", r.path().toString());
            if (r.error() != null) {
                j.field("verdict", "unreadable").field("error", r.error());
            } else if (r.problems().isEmpty()) {
                j.field("verdict", "load");
                if (!checksOnly) {
                    j.field("relocations", r.relocations());
                }
            } else {
                LoadErrno e = r.errno();
                j.field("verdict", "refused").field("errno", e.name()).field("errnoValue", e.number());
                j.name("problems").beginArray();
                for (LinkException.Problem p : r.problems()) {
                    LoadErrno pe = LoadErrno.of(p.kind(), r.machine());
                    j.beginCompactObject().field("kind", p.kind().name().toLowerCase(Locale.ROOT))
                            .field("symbol", p.symbol()).field("errno", pe.name())
                            .field("message", Fmt.oneLine(p.message())).endObject();
                }
                j.endArray();
            }
            j.endObject();
        }
        j.endArray();
        j.name("summary").beginCompactObject().field("modules", modules).field("load", ok).field("refused", refused)
                .field("unreadable", unreadable).field("relocations", relocations)
                .field("seconds", secs).endObject();
        j.endObject();
        sb.append('\n');
        return sb.toString();
    }
}
