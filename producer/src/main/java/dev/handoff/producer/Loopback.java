package dev.handoff.producer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether a listen host is a loopback interface, decided without a DNS lookup: other names count as not loopback. */
final class Loopback {
    /** IPv4 dotted quad, or IPv6 (at least one colon), optionally bracketed: never a host name. */
    private static final Pattern IP_LITERAL =
        Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*]?");

    private Loopback() {
    }

    static boolean is(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            return false;
        }
        try {
            // An IP literal is parsed, never looked up.
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
