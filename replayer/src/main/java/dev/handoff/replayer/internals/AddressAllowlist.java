package dev.handoff.replayer.internals;

import dev.handoff.protocol.InvalidFieldException;
import dev.handoff.protocol.NodeAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hosts a replayer may dial, from {@code --allowed-sources} / {@code --allowed-nodes}: host patterns
 * ({@code datanode-*.prod.example}, {@code *} any run of characters, {@code ?} one, case-insensitive) or CIDRs
 * ({@code 10.0.0.0/8}, {@code fd00::/8}), matched against the host of a record's {@code host:port}. A CIDR matches IP
 * literals only: a host name is never resolved to decide (the answer could change between the check and the dial).
 * An empty list allows every host. Immutable, thread-safe.
 */
public final class AddressAllowlist {
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9.*?_-]+|\\[?[0-9A-Fa-f:.*?]+]?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<String> patterns;
    private final List<Pattern> globs = new ArrayList<>();
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();

    private AddressAllowlist(String field, List<String> patterns) {
        this.patterns = List.copyOf(patterns);
        for (String p : this.patterns) {
            if (p == null || p.isBlank()) {
                throw new InvalidFieldException(field, p, "a host pattern or a CIDR, not empty");
            }
            String s = p.strip();
            if (s.contains("/")) {
                cidr(field, s);
            } else if (GLOB.matcher(s).matches()) {
                globs.add(Pattern.compile(toRegex(s.replace("[", "").replace("]", "").toLowerCase(Locale.ROOT))));
            } else {
                throw new InvalidFieldException(field, p, "a host pattern ([A-Za-z0-9.-] with * and ?) or a CIDR "
                    + "such as 10.0.0.0/8");
            }
        }
    }

    /** The allowlist of {@code patterns}; a bad pattern is refused naming {@code field}. */
    public static AddressAllowlist of(String field, List<String> patterns) {
        return new AddressAllowlist(field, patterns == null ? List.of() : patterns);
    }

    public List<String> patterns() {
        return patterns;
    }

    /** True when the list is empty or the host of {@code address} ({@code host:port}) matches a pattern. */
    public boolean allows(String address) {
        if (patterns.isEmpty()) {
            return true;
        }
        String host = NodeAddress.host(address).toLowerCase(Locale.ROOT);
        for (Pattern g : globs) {
            if (g.matcher(host).matches()) {
                return true;
            }
        }
        byte[] ip = literal(host);
        if (ip != null) {
            for (int i = 0; i < networks.size(); i++) {
                if (inside(ip, networks.get(i), prefixes.get(i))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void cidr(String field, String s) {
        String[] parts = s.split("/", -1);
        byte[] network = parts.length == 2 ? literal(parts[0].replace("[", "").replace("]", "")) : null;
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (network == null || prefix < 0 || prefix > network.length * 8) {
            throw new InvalidFieldException(field, s, "a CIDR: an IP literal and a prefix length (10.0.0.0/8, fd00::/8)");
        }
        networks.add(network);
        prefixes.add(prefix);
    }

    /** The bytes of an IP literal, or null for a host name (never looked up). */
    private static byte[] literal(String host) {
        if (!IPV4.matcher(host).matches() && !host.contains(":")) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean inside(byte[] ip, byte[] network, int prefix) {
        if (ip.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((ip[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            re.append(switch (c) {
                case '*' -> ".*";
                case '?' -> ".";
                default -> Pattern.quote(String.valueOf(c));
            });
        }
        return re.toString();
    }

    @Override
    public String toString() {
        return patterns.isEmpty() ? "any" : String.join(",", patterns);
    }
}
