package dev.kobj.cli;

import java.io.PrintStream;

/**
 * The output of a command that reports file by file: readelf-like text, or with {@code --json}
 * an array of one object per file, {@code {"file": F, "<command>": ...}} or, for a file that
 * failed, {@code {"file": F, "error": "..."}} (in text the error goes to stderr only).
 */
final class PerFileOutput {
    private final PrintStream out;
    private final boolean json;
    private boolean first = true;

    PerFileOutput(PrintStream out, boolean json) {
        this.out = out;
        this.json = json;
        if (json) {
            out.print('[');
        }
    }

    /** Prints one file's text, or its JSON object as the next element of the array. */
    void item(CharSequence s) {
        if (json) {
            out.print(first ? "\n  " : ",\n  ");
            first = false;
        }
        out.print(s);
    }

    /** Records a file that failed: an error object in JSON, nothing in text. */
    void error(String file, String message) {
        if (json) {
            StringBuilder sb = new StringBuilder();
            new Json(sb, 1).beginObject().field("file", file).field("error", message).endObject();
            item(sb);
        }
    }

    /** Closes the JSON array and flushes. */
    void close() {
        if (json) {
            out.print(first ? "]\n" : "\n]\n");
        }
        out.flush();
    }
}
