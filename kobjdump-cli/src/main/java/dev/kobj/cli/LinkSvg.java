package dev.kobj.cli;

import dev.kobj.link.LoadedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The picture {@code kobjdump link --svg OUT.svg} draws of a linked image: an overview of the
 * whole address range with every region to scale, then one bar per region, its sections and
 * stubs to scale inside it (x = offset in the region, width = size), coloured by the region's
 * final permissions, with each one's name, address and size listed under the bar. A legend
 * gives the colours. Every box carries {@code data-name}, {@code data-address} and
 * {@code data-size} (hex) so that tools, and the tests, can read the picture back.
 *
 * <p>It reads only {@link LoadedImage#regions()}, {@link LoadedImage#sections()} and
 * {@link LoadedImage#stubs()}: each box is a {@link Box} made from one of those, so another
 * layout of regions needs no change here.
 */
final class LinkSvg {
    private LinkSvg() {
    }

    static final int WIDTH = 1200;
    private static final int MARGIN = 24;
    private static final int BAR = WIDTH - 2 * MARGIN;
    private static final int BAR_HEIGHT = 34;
    private static final int LINE = 15;

    /** What is drawn in a region: a placed section or a stub section. */
    record Box(String name, long address, long size, String kind) {
    }

    /** {@return the fill colour of a region's permissions ("R", "RW", "RX")} */
    static String colour(String permissions) {
        return switch (permissions) {
            case "RX" -> "#e8743b";
            case "RW" -> "#3b82c4";
            default -> "#2f9e6e";
        };
    }

    static String of(LoadedImage image) {
        int w = image.object().header().is64() ? 16 : 8;
        List<LoadedImage.Region> regions = image.regions();
        StringBuilder body = new StringBuilder();
        int y = MARGIN;
        body.append(text(MARGIN, y + 14, 18, "bold", "Linked image of " + image.object().name() + ": module "
                + image.name() + ", " + image.arch().toString().toLowerCase(Locale.ROOT)));
        y += 26;
        body.append(text(MARGIN, y + 12, 12, "normal", regions.size() + " regions, " + image.sections().size()
                + " sections, " + image.stubs().size() + " stub sections; every bar is to scale (its own scale)"));
        y += 24;
        y = legend(body, y);

        // Overview: all regions along the image's address range.
        if (!regions.isEmpty()) {
            long lo = regions.getFirst().address();
            long hi = lo;
            for (LoadedImage.Region r : regions) {
                lo = Long.compareUnsigned(r.address(), lo) < 0 ? r.address() : lo;
                long end = r.address() + r.size();
                hi = Long.compareUnsigned(end, hi) > 0 ? end : hi;
            }
            long span = Math.max(1, hi - lo);
            body.append(text(MARGIN, y + 12, 13, "bold", "Address space " + Fmt.hex(lo, w) + " - " + Fmt.hex(hi, w)
                    + " (" + size(span) + ")"));
            y += 18;
            body.append("<rect x=\"").append(MARGIN).append("\" y=\"").append(y).append("\" width=\"").append(BAR)
                    .append("\" height=\"22\" fill=\"#f4f4f4\" stroke=\"#999\"/>\n");
            for (LoadedImage.Region r : regions) {
                double x = MARGIN + (double) (r.address() - lo) * BAR / span;
                double bw = Math.max(1, (double) r.size() * BAR / span);
                body.append("<rect class=\"overview\" x=\"").append(fmt(x)).append("\" y=\"").append(y)
                        .append("\" width=\"").append(fmt(bw)).append("\" height=\"22\" fill=\"")
                        .append(colour(r.permissions().name())).append("\" fill-opacity=\"0.75\" stroke=\"#333\" "
                                + "stroke-width=\"0.5\"><title>").append(esc(r.name())).append("</title></rect>\n");
                if (bw > r.name().length() * 6.5 + 4) {
                    body.append(text(x + 3, y + 15, 10, "normal", r.name()));
                }
            }
            y += 40;
        }

        for (LoadedImage.Region r : regions) {
            List<Box> boxes = new ArrayList<>();
            for (LoadedImage.PlacedSection s : image.sections()) {
                if (s.region().equals(r)) {
                    boxes.add(new Box(s.name(), s.address(), s.size(), s.nobits() ? "nobits" : "section"));
                }
            }
            for (LoadedImage.StubSection st : image.stubs()) {
                if (st.region().equals(r)) {
                    boxes.add(new Box(st.name(), st.address(), st.size(), "stub"));
                }
            }
            boxes.sort((a, b) -> Long.compareUnsigned(a.address(), b.address()));
            y = region(body, r, boxes, y, w);
        }
        y += MARGIN;
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"" + y
                + "\" viewBox=\"0 0 " + WIDTH + " " + y + "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
                + "<defs><pattern id=\"nobits\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
                + "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"white\" fill-opacity=\"0.55\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#555\" stroke-width=\"1.5\"/></pattern></defs>\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body + "</svg>\n";
    }

    private static int legend(StringBuilder sb, int y) {
        int x = MARGIN;
        String[][] items = {{"RX", "RX: text"}, {"R", "R: rodata, ro_after_init"}, {"RW", "RW: data, bss"}};
        for (String[] it : items) {
            sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"18\" height=\"12\" fill=\"")
                    .append(colour(it[0])).append("\"/>\n");
            sb.append(text(x + 24, y + 10, 11, "normal", it[1]));
            x += 44 + it[1].length() * 7;
        }
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y)
                .append("\" width=\"18\" height=\"12\" fill=\"#3b82c4\"/><rect x=\"").append(x).append("\" y=\"")
                .append(y).append("\" width=\"18\" height=\"12\" fill=\"url(#nobits)\"/>\n");
        sb.append(text(x + 24, y + 10, 11, "normal", "NOBITS (zero-filled)"));
        x += 44 + 20 * 7;
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"18\" height=\"12\" "
                + "fill=\"#bbbbbb\" stroke=\"#111\" stroke-dasharray=\"3,2\"/>\n");
        sb.append(text(x + 24, y + 10, 11, "normal", "stubs (GOT, PLT, veneers)"));
        x += 44 + 25 * 7;
        sb.append("<rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"18\" height=\"12\" "
                + "fill=\"#f4f4f4\" stroke=\"#999\"/>\n");
        sb.append(text(x + 24, y + 10, 11, "normal", "unused (to the page end)"));
        return y + 30;
    }

    private static int region(StringBuilder sb, LoadedImage.Region r, List<Box> boxes, int y, int w) {
        String perm = r.permissions().name();
        sb.append("<g class=\"region\" data-name=\"").append(esc(r.name())).append("\" data-address=\"")
                .append(Fmt.hex(r.address(), w)).append("\" data-size=\"").append(Long.toHexString(r.size()))
                .append("\" data-permissions=\"").append(perm).append("\">\n");
        sb.append(text(MARGIN, y + 13, 14, "bold", r.name() + "  " + perm + "  " + Fmt.hex(r.address(), w) + " - "
                + Fmt.hex(r.address() + r.size(), w) + "  (" + size(r.size()) + ", " + size(r.used()) + " used)"));
        y += 20;
        long scale = Math.max(1, r.size());
        sb.append("<rect x=\"").append(MARGIN).append("\" y=\"").append(y).append("\" width=\"").append(BAR)
                .append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"#f4f4f4\" stroke=\"")
                .append(colour(perm)).append("\" stroke-width=\"1.5\"/>\n");
        for (Box b : boxes) {
            double x = MARGIN + (double) (b.address() - r.address()) * BAR / scale;
            double bw = (double) b.size() * BAR / scale;
            String fill = b.kind().equals("stub") ? "#bbbbbb" : colour(perm);
            sb.append("<rect class=\"").append(b.kind()).append("\" data-name=\"").append(esc(b.name()))
                    .append("\" data-address=\"").append(Fmt.hex(b.address(), w)).append("\" data-size=\"")
                    .append(Long.toHexString(b.size())).append("\" x=\"").append(fmt(x)).append("\" y=\"").append(y)
                    .append("\" width=\"").append(fmt(Math.max(bw, 0.75))).append("\" height=\"").append(BAR_HEIGHT)
                    .append("\" fill=\"").append(fill).append("\" stroke=\"#222\" stroke-width=\"0.6\"")
                    .append(b.kind().equals("stub") ? " stroke-dasharray=\"3,2\"" : "").append("><title>")
                    .append(esc(b.name() + " " + Fmt.hex(b.address(), w) + " size 0x" + Long.toHexString(b.size())))
                    .append("</title></rect>\n");
            if (b.kind().equals("nobits")) {
                sb.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y).append("\" width=\"")
                        .append(fmt(Math.max(bw, 0.75))).append("\" height=\"").append(BAR_HEIGHT)
                        .append("\" fill=\"url(#nobits)\"/>\n");
            }
            if (bw > b.name().length() * 7 + 6) {
                sb.append(text(x + 4, y + BAR_HEIGHT / 2 + 4, 11, "bold", b.name()).replace("<text ",
                        "<text fill=\"white\" "));
            }
        }
        y += BAR_HEIGHT + 6;
        // The list: every box with its offset, address and size, in address order, two columns.
        int columns = 2;
        int colWidth = BAR / columns;
        for (int i = 0; i < boxes.size(); i++) {
            Box b = boxes.get(i);
            int cx = MARGIN + (i % columns) * colWidth;
            int cy = y + (i / columns) * LINE;
            sb.append("<rect x=\"").append(cx).append("\" y=\"").append(cy + 3).append("\" width=\"9\" height=\"9\" fill=\"")
                    .append(b.kind().equals("stub") ? "#bbbbbb" : colour(perm)).append("\"/>\n");
            sb.append(text(cx + 14, cy + 11, 11, "normal", Fmt.hex(b.address(), w) + "  +" + Fmt.hex(b.address()
                    - r.address(), 5) + "  " + Fmt.hex(b.size(), 6) + "  " + b.name()
                    + (b.kind().equals("nobits") ? " (NOBITS)" : b.kind().equals("stub") ? " (stubs)" : "")));
        }
        y += ((boxes.size() + columns - 1) / columns) * LINE + 16;
        sb.append("</g>\n");
        return y;
    }

    private static String size(long bytes) {
        if (bytes >= 1 << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
        if (bytes >= 1 << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return bytes + " B";
    }

    private static String text(double x, double y, int size, String weight, String s) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" font-size=\"" + size + "\" font-weight=\"" + weight
                + "\" font-family=\"DejaVu Sans Mono, monospace\">" + esc(s) + "</text>\n";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** {@return {@code s} escaped for XML text and attributes, control characters as U+FFFD} */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c < 0x20 && c != '\t' ? '\uFFFD' : c);
            }
        }
        return sb.toString();
    }
}
