package dev.kobj.cli.kernel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The records of one boot, read from the guest's console (see {@link GuestScript}): label to
 * text. Lines between the markers that are not base64 (a kernel message slipping through) are
 * dropped; a record whose gzip stream does not decode is listed in {@link #corrupt()}, not
 * returned.
 *
 * @param records  label to decoded text, in console order
 * @param started  labels of every START marker, in order
 * @param done     whether the guest reached its end
 * @param corrupt  labels whose data did not decode
 */
public record ConsoleRecords(Map<String, String> records, List<String> started, boolean done, List<String> corrupt) {

    static ConsoleRecords parse(String console, String nonce) {
        String mark = "@@KOBJ " + nonce + " ";
        Map<String, String> records = new LinkedHashMap<>();
        List<String> started = new ArrayList<>();
        List<String> corrupt = new ArrayList<>();
        boolean done = false;
        String label = null;
        StringBuilder b64 = new StringBuilder();
        for (String raw : console.split("\r?\n")) {
            String line = raw.strip();
            int at = line.indexOf(mark);
            if (at >= 0) {
                String rest = line.substring(at + mark.length());
                if (rest.startsWith("BEGIN ")) {
                    label = rest.substring(6);
                    b64.setLength(0);
                } else if (rest.startsWith("END ") && label != null && label.equals(rest.substring(4))) {
                    String text = decode(b64.toString());
                    if (text == null) {
                        corrupt.add(label);
                    } else {
                        records.put(label, text);
                    }
                    label = null;
                } else if (rest.startsWith("START ")) {
                    started.add(rest.substring(6));
                } else if (rest.equals("DONE")) {
                    done = true;
                }
            } else if (label != null && line.matches("[A-Za-z0-9+/=]+")) {
                b64.append(line);
            }
        }
        return new ConsoleRecords(records, started, done, corrupt);
    }

    private static String decode(String b64) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(b64)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
