package dev.kobj.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --base} options of {@code kobjdump link}: one bare ADDR (the first region's
 * address, as before regions had names) and any number of REGION=ADDR.
 *
 * @param base    the bare address, or null
 * @param regions region name → address, in the order given
 */
record LinkBases(Long base, Map<String, Long> regions) {

    /** {@return the options parsed} @throws IllegalArgumentException naming the bad option */
    static LinkBases parse(List<String> options) {
        Long base = null;
        Map<String, Long> regions = new LinkedHashMap<>();
        AddressConverter conv = new AddressConverter();
        for (String o : options) {
            int eq = o.indexOf('=');
            try {
                if (eq < 0) {
                    if (base != null) {
                        throw new IllegalArgumentException("--base " + o + ": a bare address was given twice");
                    }
                    base = conv.convert(o);
                } else {
                    String region = o.substring(0, eq).trim();
                    if (region.isEmpty()) {
                        throw new IllegalArgumentException("--base " + o + ": no region name before '='");
                    }
                    if (regions.put(region, conv.convert(o.substring(eq + 1))) != null) {
                        throw new IllegalArgumentException("--base " + o + ": region " + region + " given twice");
                    }
                }
            } catch (picocli.CommandLine.TypeConversionException e) {
                throw new IllegalArgumentException("--base " + o + ": " + e.getMessage());
            }
        }
        return new LinkBases(base, Map.copyOf(regions));
    }
}
