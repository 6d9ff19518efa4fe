package dev.handoff.cli;

import dev.handoff.cli.AclNeeds.Need;
import dev.handoff.cli.AclNeeds.Role;
import dev.handoff.cli.Preflight.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * What one ACL check found about each right: granted, missing, or not verified (and why). A missing right makes
 * the check FAIL naming the right, the resource and the roles; a right that could not be verified, with none
 * missing, makes it SKIP saying what was not verified. Confined to the thread that runs the verb.
 */
final class AclFindings {
    /** How a right was found. */
    enum State {
        GRANTED, MISSING, UNVERIFIED;

        /** {@code need} found in this state, with how it was found or why not ({@code GRANTED.of(need, how)}). */
        Finding of(Need need, String note) {
            return new Finding(need, this, note);
        }
    }

    /** One right and what was found, with how it was found or why not. */
    record Finding(Need need, State state, String note) {
        String line() {
            return need.line() + (note == null || note.isBlank() ? "" : ": " + note);
        }
    }

    /** The note of a right under a prefix judged only by the topics that exist under it. */
    static final String JUDGED = "judged by the ";

    private final String name;
    private final Set<Role> roles;
    private final List<Finding> findings = new ArrayList<>();
    private final List<String> unnamed = new ArrayList<>();

    AclFindings(String name, Set<Role> roles) {
        this.name = name;
        this.roles = roles;
    }

    /** The same finding for every need. */
    static List<Finding> all(List<Need> needs, BiFunction<Need, String, Finding> as, String note) {
        return needs.stream().map(n -> as.apply(n, note)).toList();
    }

    void addAll(List<Finding> found) {
        findings.addAll(found);
    }

    /** A right that cannot even be named with the options given: not verified. */
    void unnamed(String line) {
        unnamed.add(line);
    }

    /** FAIL naming every missing right, else SKIP naming every unverified one, else OK. */
    Check check(String scope) {
        List<String> missing = lines(State.MISSING);
        List<String> unverified = new ArrayList<>(lines(State.UNVERIFIED));
        unverified.addAll(unnamed);
        String notVerified = unverified.isEmpty() ? "" : "not verified: " + String.join("; ", unverified);
        if (!missing.isEmpty()) {
            return Check.fail(name, "this principal lacks " + String.join("; ", missing)
                + (notVerified.isEmpty() ? "" : "; " + notVerified) + " (grants: docs/SECURITY.md)");
        }
        long granted = findings.stream().filter(f -> f.state() == State.GRANTED).count();
        if (!unverified.isEmpty()) {
            return Check.skip(name, notVerified + "; the other " + granted + " right(s) " + roles + " need are granted");
        }
        if (findings.isEmpty()) {
            return Check.ok(name, roles + " need no rights on " + scope);
        }
        List<String> judged = findings.stream().filter(f -> f.note() != null && f.note().startsWith(JUDGED))
            .map(Finding::line).toList();
        return Check.ok(name, "this principal has the " + granted + " right(s) " + roles + " need on " + scope
            + (judged.isEmpty() ? "" : "; the ACLs could not be read, so these are judged by the topics that exist: "
                + String.join("; ", judged)));
    }

    private List<String> lines(State state) {
        return findings.stream().filter(f -> f.state() == state).map(Finding::line).toList();
    }
}
