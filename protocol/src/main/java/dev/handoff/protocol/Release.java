package dev.handoff.protocol;

/** Tells a liaison that every target of a stored bundle has completed it, so it may delete it. */
public record Release(String liaison, PartKey part) {

    public Release {
        Names.requireName("liaison", liaison);
        Names.required("part", part);
        if (!liaison.equals(part.liaison())) {
            throw new InvalidFieldException("liaison", liaison, "must equal part.liaison " + part.liaison());
        }
    }
}
