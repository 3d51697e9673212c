package dev.pond.model.fit;

import org.hipparchus.analysis.MultivariateFunction;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;
import org.hipparchus.util.FastMath;

import java.util.List;

/**
 * Maximises a likelihood over unconstrained (log-transformed) parameters with Hipparchus'
 * Nelder-Mead simplex, then restarts from the optimum until a restart no longer improves it: a
 * simplex can collapse before it reaches the top, and a fresh one from there costs little.
 * Deterministic: no random starts.
 *
 * <p>Each parameter is kept within e^±{@value #LIMIT} (about 10⁻⁶ to 10⁶). An optimum near that
 * edge means the likelihood keeps rising as a parameter runs off: the orders do not pin the model
 * down (e.g. hardly anyone bought twice), which is an error rather than a fit.
 */
final class LogSpaceMaximizer {

    /** The optimum and what it took. */
    record Result(double[] point, double value, int evaluations) {}

    private static final int MAX_EVAL_PER_RUN = 20_000;
    private static final int MAX_RUNS = 8;
    private static final double LIMIT = 13.8;
    private static final double EDGE = 11.5;

    private LogSpaceMaximizer() {}

    /**
     * @param what names the model in the error if there is no optimum
     * @param names the parameters, in the order of the point, for the error
     * @param f the log-likelihood at the logarithms of the parameters
     * @throws IllegalArgumentException if the simplex does not converge or the optimum is at the
     *     edge
     */
    static Result maximize(String what, List<String> names, MultivariateFunction f, double[] start) {
        MultivariateFunction guarded = point -> {
            for (double u : point) {
                if (!(FastMath.abs(u) <= LIMIT)) {
                    return Double.NEGATIVE_INFINITY;
                }
            }
            double v = f.value(point);
            return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v; // outside the domain: worst possible
        };
        double[] point = start.clone();
        double value = guarded.value(point);
        int evaluations = 1;
        try {
            for (int run = 0; run < MAX_RUNS; run++) {
                SimplexOptimizer optimizer = new SimplexOptimizer(1e-12, 1e-10);
                PointValuePair best = optimizer.optimize(new MaxEval(MAX_EVAL_PER_RUN), new ObjectiveFunction(guarded),
                        GoalType.MAXIMIZE, new InitialGuess(point), new NelderMeadSimplex(point.length, 0.5));
                evaluations += optimizer.getEvaluations();
                boolean improved = best.getValue() > value + 1e-9;
                if (best.getValue() >= value) {
                    point = best.getPoint();
                    value = best.getValue();
                }
                if (!improved && run > 0) {
                    break;
                }
            }
        } catch (MathIllegalStateException e) {
            throw new IllegalArgumentException("the " + what + " fit did not converge (" + e.getMessage()
                    + "); the orders may not identify the model", e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("the " + what + " fit found no finite likelihood");
        }
        for (int i = 0; i < point.length; i++) {
            if (FastMath.abs(point[i]) > EDGE) {
                throw new IllegalArgumentException("the " + what + " fit has no maximum: " + names.get(i)
                        + " runs off to " + (point[i] > 0 ? "infinity" : "zero")
                        + "; the orders may have too few repeat purchases to fit it");
            }
        }
        return new Result(point, value, evaluations);
    }
}
