package dev.pond.core.value;

/**
 * The Gauss hypergeometric function 2F1, as far as the BG/NBD family needs it. Neither Hipparchus
 * nor Commons Math has it, so this is the plain power series, summed until the terms no longer
 * change the sum. Callers first apply Euler's transformation so that the series they sum has small
 * upper parameters and a large lower one: then the terms shrink at once instead of growing with
 * the number of purchases, and nothing overflows.
 */
final class Hypergeometric {

    private static final int MAX_TERMS = 1_000_000;

    private Hypergeometric() {}

    /**
     * {@code c}, or a hair above it where it is a pole of 2F1 (0, −1, −2, …). The BG/NBD formulas
     * multiply 2F1 by c and are continuous there, so the caller uses the moved c for both.
     */
    static double offPole(double c) {
        return c <= 0 && Math.abs(c - Math.rint(c)) < 1e-9 ? Math.rint(c) + 1e-9 : c;
    }

    /**
     * 2F1(a, b; c; z) for 0 ≤ z < 1. c may be negative (BG/NBD with a + b < 1 needs it) but not a
     * non-positive integer, where the function has a pole; see {@link #offPole}.
     *
     * @throws IllegalArgumentException outside that domain
     */
    static double f21(double a, double b, double c, double z) {
        if (!(z >= 0 && z < 1) || !Double.isFinite(c) || offPole(c) != c) {
            throw new IllegalArgumentException("2F1 needs 0 <= z < 1 and c not a pole, got z=" + z + ", c=" + c);
        }
        double term = 1;
        double sum = 1;
        for (int n = 0; n < MAX_TERMS; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            double next = sum + term;
            if (next == sum || term == 0) {
                return next;
            }
            sum = next;
        }
        return sum;
    }
}
