package dev.pond.model.fit;

import dev.pond.model.ChurnModel;
import org.hipparchus.util.FastMath;

import java.util.List;

/**
 * Fits r, α, a, b of the BG/NBD or MBG/NBD model by maximum likelihood. The search runs over
 * the logarithms of the parameters, which keeps them positive without constraints.
 */
public final class BgNbdFitter {

    private BgNbdFitter() {}

    /**
     * @throws IllegalArgumentException if there is nothing to fit or the likelihood has no
     *     maximum inside the parameter space (e.g. hardly anyone bought twice)
     */
    public static BgNbdFit fit(ChurnModel kind, BgNbdLikelihood likelihood) {
        if (likelihood.customers() == 0) {
            throw new IllegalArgumentException("no customers to fit the " + kind + " model on");
        }
        LogSpaceMaximizer.Result best = LogSpaceMaximizer.maximize(kind.name(), List.of("r", "alpha", "a", "b"),
                u -> likelihood.value(kind, FastMath.exp(u[0]), FastMath.exp(u[1]), FastMath.exp(u[2]),
                        FastMath.exp(u[3])),
                new double[] {0, 0, 0, 0});
        double[] u = best.point();
        return new BgNbdFit(kind, FastMath.exp(u[0]), FastMath.exp(u[1]), FastMath.exp(u[2]), FastMath.exp(u[3]),
                best.value(), likelihood.customers(), best.evaluations());
    }
}
