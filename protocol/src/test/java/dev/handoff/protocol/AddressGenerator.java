package dev.handoff.protocol;

import java.util.Random;

/** Random valid node addresses (DNS names of mixed case, IPv4, bracketed IPv6) from a seeded Random. */
final class AddressGenerator {
    private static final String ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String HEX = "0123456789abcdefABCDEF";
    private final Random random;

    AddressGenerator(long seed) {
        this.random = new Random(seed);
    }

    String next() {
        String host = switch (random.nextInt(3)) {
            case 0 -> dnsName();
            case 1 -> ipv4();
            default -> "[" + ipv6() + "]";
        };
        return host + ":" + port();
    }

    String dnsName() {
        int labels = 1 + random.nextInt(4);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < labels; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(label(1 + random.nextInt(12)));
        }
        return out.toString();
    }

    /** A DNS label: alphanumeric at both ends, dashes allowed (and likely) inside. */
    String label(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            boolean edge = i == 0 || i == length - 1;
            if (!edge && random.nextInt(4) == 0) {
                out.append('-');
            } else {
                out.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
            }
        }
        return out.toString();
    }

    String ipv4() {
        return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
    }

    /** Full eight-group form, or compressed with "::" somewhere; hex digits of either case. */
    String ipv6() {
        int groups = random.nextBoolean() ? 8 : random.nextInt(7);
        StringBuilder out = new StringBuilder();
        int gap = groups == 8 ? -1 : random.nextInt(groups + 1);
        for (int i = 0; i <= groups; i++) {
            if (i == gap) {
                out.append("::");
            }
            if (i == groups) {
                break;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            int digits = 1 + random.nextInt(4);
            for (int d = 0; d < digits; d++) {
                out.append(HEX.charAt(random.nextInt(HEX.length())));
            }
        }
        return out.toString();
    }

    int port() {
        return random.nextInt(10) == 0 ? (random.nextBoolean() ? 1 : 65535) : 1 + random.nextInt(65535);
    }
}
