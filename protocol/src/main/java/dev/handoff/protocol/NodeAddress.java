package dev.handoff.protocol;

import java.util.regex.Pattern;

/**
 * A data node's (or a liaison's part store's) address: {@code host:port}, where host is a DNS name,
 * an IPv4 address or a bracketed IPv6 address ({@code [::1]:9000}).
 *
 * <p>The node token escapes an address into Kafka's topic alphabet, reversibly and without
 * collisions: {@code [A-Za-z0-9-]} stay as they are, every other character becomes {@code .}
 * followed by two lowercase hex digits ({@code datanode-1:17912} becomes {@code datanode-1.3a17912}).
 * The token never contains {@code _}: Kafka treats topics that differ only by {@code .} versus
 * {@code _} as colliding, so an alphabet with both could produce two addresses whose topics collide.
 */
public final class NodeAddress {
    public static final String RULE = "host:port (DNS name, IPv4 or [IPv6]) with port 1-65535";
    /** Longest address accepted; DNS names are at most 253 characters. */
    public static final int MAX_LENGTH = 261;
    private static final Pattern DNS_OR_IPV4 =
        Pattern.compile("(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}\\]");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    private static final char ESCAPE = '.';

    private NodeAddress() {
    }

    /** Returns the address when it is valid, else throws naming {@code field}. */
    public static String require(String field, String address) {
        return Names.check(isValid(address), field, address, RULE);
    }

    public static boolean isValid(String address) {
        if (address == null || address.isEmpty() || address.length() > MAX_LENGTH) {
            return false;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return false;
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            return false;
        }
        if (host.startsWith("[")) {
            return IPV6.matcher(host).matches() && host.indexOf(':') >= 0;
        }
        return DNS_OR_IPV4.matcher(host).matches();
    }

    /** The host part, without IPv6 brackets. */
    public static String host(String address) {
        String host = address.substring(0, address.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    public static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Escapes a valid address into a token of {@code [A-Za-z0-9.-]}. */
    public static String token(String address) {
        require("node", address);
        StringBuilder out = new StringBuilder(address.length() + 8);
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (isPlain(c)) {
                out.append(c);
            } else {
                out.append(ESCAPE).append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return out.toString();
    }

    /** Reverses {@link #token(String)}; throws naming the field when the token is not one it made. */
    public static String fromToken(String token) {
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (isPlain(c)) {
                out.append(c);
            } else if (c == ESCAPE && i + 2 < token.length() && isLowerHex(token.charAt(i + 1)) && isLowerHex(token.charAt(i + 2))) {
                char decoded = (char) Integer.parseInt(token.substring(i + 1, i + 3), 16);
                if (isPlain(decoded)) {
                    throw new InvalidFieldException("token", token, "escapes a character that is never escaped");
                }
                out.append(decoded);
                i += 2;
            } else {
                throw new InvalidFieldException("token", token, "not a node token: only [A-Za-z0-9-] and .<2 hex digits>");
            }
        }
        return require("token", out.toString());
    }

    private static boolean isPlain(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }

    private static boolean isLowerHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
