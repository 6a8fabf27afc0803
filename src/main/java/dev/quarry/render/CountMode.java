package dev.quarry.render;

/** {@code _count}: no total, the exact total, or the planner's estimate (cheap on big tables). */
public enum CountMode {
    NONE, EXACT, PLANNED
}
