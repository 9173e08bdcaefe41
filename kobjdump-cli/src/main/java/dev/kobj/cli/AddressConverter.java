package dev.kobj.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** An address option: hexadecimal with 0x, or decimal; any 64-bit value (unsigned). */
final class AddressConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        String v = value.trim().replace("_", "");
        try {
            if (v.startsWith("0x") || v.startsWith("0X")) {
                if (v.length() == 2) {
                    throw new NumberFormatException();
                }
                return Long.parseUnsignedLong(v.substring(2), 16);
            }
            return Long.parseUnsignedLong(v);
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an address (0x... or decimal)");
        }
    }
}
