package dev.quarry.template;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The most a request may cost by PostgreSQL's own estimate of its plan ({@code @budget}, or
 * {@code quarry.budget.default}): the plan's total cost, its estimated rows, or both.
 *
 * <pre>
 * &#64;budget cost 500000
 * &#64;budget cost 2e6, rows 100000
 * &#64;budget off
 * </pre>
 *
 * @param cost the most total cost (the planner's units); empty for no bound on it
 * @param rows the most estimated rows; empty for no bound on them
 */
public record Budget(OptionalDouble cost, OptionalLong rows) {

    /** {@code @budget off}: no budget, whatever the global default. */
    public static final Budget NONE = new Budget(OptionalDouble.empty(), OptionalLong.empty());

    private static final String FORM = "write it as cost N, rows N or both (cost 500000, rows 100000), or off";

    public boolean bounded() {
        return cost.isPresent() || rows.isPresent();
    }

    /** Whether an estimate stays within this budget. */
    public boolean allows(double estimatedCost, long estimatedRows) {
        return (cost.isEmpty() || estimatedCost <= cost.getAsDouble()) && (rows.isEmpty() || estimatedRows <= rows.getAsLong());
    }

    /** Each bound the lower of the two; a bound only one of them sets, as it sets it. */
    public Budget tighter(Budget other) {
        return new Budget(cost.isEmpty() ? other.cost
                : other.cost.isEmpty() ? cost : OptionalDouble.of(Math.min(cost.getAsDouble(), other.cost.getAsDouble())),
                rows.isEmpty() ? other.rows
                        : other.rows.isEmpty() ? rows : OptionalLong.of(Math.min(rows.getAsLong(), other.rows.getAsLong())));
    }

    /** Each bound the higher of the two; a bound only one of them sets is no bound. */
    public Budget looser(Budget other) {
        return new Budget(cost.isEmpty() || other.cost.isEmpty() ? OptionalDouble.empty()
                : OptionalDouble.of(Math.max(cost.getAsDouble(), other.cost.getAsDouble())),
                rows.isEmpty() || other.rows.isEmpty() ? OptionalLong.empty()
                        : OptionalLong.of(Math.max(rows.getAsLong(), other.rows.getAsLong())));
    }

    /** Its bounds by name ({@code cost}, {@code rows}), as JSON documents show them. */
    public Map<String, Object> bounds() {
        Map<String, Object> bounds = new LinkedHashMap<>();
        cost.ifPresent(limit -> bounds.put("cost", limit));
        rows.ifPresent(limit -> bounds.put("rows", limit));
        return bounds;
    }

    /** The budget's text as {@link #parse} reads it. */
    @Override
    public String toString() {
        if (!bounded()) {
            return "off";
        }
        List<String> parts = new ArrayList<>(2);
        cost.ifPresent(limit -> parts.add("cost " + new BigDecimal(limit).stripTrailingZeros().toPlainString()));
        rows.ifPresent(limit -> parts.add("rows " + limit));
        return String.join(", ", parts);
    }

    /** Reads {@code cost N}, {@code rows N}, both separated by a comma, or {@code off}. */
    public static Budget parse(String text) {
        String budget = text.strip();
        if (budget.equals("off")) {
            return NONE;
        }
        if (budget.isEmpty()) {
            throw new IllegalArgumentException("@budget is empty; " + FORM);
        }
        Double cost = null;
        Long rows = null;
        for (String part : budget.split(",")) {
            String[] words = part.strip().split("\\s+");
            if (words.length != 2) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a bound; " + FORM);
            }
            switch (words[0].toLowerCase(Locale.ROOT)) {
                case "cost" -> {
                    if (cost != null) {
                        throw new IllegalArgumentException("cost is given twice");
                    }
                    cost = positive(words[1], "cost");
                }
                case "rows" -> {
                    if (rows != null) {
                        throw new IllegalArgumentException("rows is given twice");
                    }
                    double value = positive(words[1], "rows");
                    if (value != Math.rint(value) || value > Long.MAX_VALUE) {
                        throw new IllegalArgumentException("rows must be a whole number, not '" + words[1] + "'");
                    }
                    rows = (long) value;
                }
                default -> throw new IllegalArgumentException("'" + words[0] + "' is neither cost nor rows; " + FORM);
            }
        }
        return new Budget(cost == null ? OptionalDouble.empty() : OptionalDouble.of(cost),
                rows == null ? OptionalLong.empty() : OptionalLong.of(rows));
    }

    private static double positive(String number, String bound) {
        double value;
        try {
            value = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bound + " takes a number such as 500000 or 2e6, not '" + number + "'");
        }
        if (!(value > 0) || Double.isInfinite(value) || !number.matches("[0-9.eE+]+")) {
            throw new IllegalArgumentException(bound + " must be a positive number, not '" + number + "'");
        }
        return value;
    }
}
