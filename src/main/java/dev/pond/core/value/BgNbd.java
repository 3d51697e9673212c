package dev.pond.core.value;

import dev.pond.model.ChurnModel;
import org.hipparchus.special.Beta;
import org.hipparchus.special.Gamma;
import org.hipparchus.util.FastMath;

/**
 * The BG/NBD family of buy-till-you-die models: likelihood, P(alive), expected purchases and the
 * probability of no purchase, for one customer summarised as (x, tₓ, T): x repeat purchases
 * (purchase days after the first), the last one tₓ after the first purchase, which was T ago. Time
 * is in the unit the parameters were fitted in (weeks in Pond).
 *
 * <p>Everything is computed in logarithms, so that thousands of purchases or years of history
 * give finite numbers rather than overflow. Formulas: Fader, Hardie and Lee, "Counting your
 * customers the easy way" (2005) and its note on the conditional expectation; Batislam et al.
 * (2007) for the modified model.
 */
public final class BgNbd {

    private final ChurnModel kind;
    private final double r;
    private final double alpha;
    private final double a;
    private final double b;
    /** 0 for BG/NBD, 1 for MBG/NBD: the modified model shifts b by one dropout chance. */
    private final int shift;
    private final double logBetaAB;

    /**
     * @throws IllegalArgumentException unless all four parameters are positive and finite
     */
    public BgNbd(ChurnModel kind, double r, double alpha, double a, double b) {
        for (double v : new double[] {r, alpha, a, b}) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("BG/NBD parameters must be positive and finite, got r=" + r
                        + ", alpha=" + alpha + ", a=" + a + ", b=" + b);
            }
        }
        this.kind = kind;
        this.r = r;
        this.alpha = alpha;
        this.a = a;
        this.b = b;
        this.shift = kind == ChurnModel.MBG_NBD ? 1 : 0;
        this.logBetaAB = Beta.logBeta(a, b);
    }

    public ChurnModel kind() {
        return kind;
    }

    /** The log-likelihood of one customer's (x, tₓ, T). */
    public double logLikelihood(int x, double tx, double T) {
        check(x, tx, T);
        double common = Gamma.logGamma(r + x) - Gamma.logGamma(r) + r * FastMath.log(alpha) - logBetaAB;
        double alive = Beta.logBeta(a, b + x + shift) - (r + x) * FastMath.log(alpha + T);
        if (x == 0 && shift == 0) {
            return common + alive;
        }
        double dropped = Beta.logBeta(a + 1, b + x + shift - 1) - (r + x) * FastMath.log(alpha + tx);
        return common + logAddExp(alive, dropped);
    }

    /** The probability that the customer is still alive at T. */
    public double pAlive(int x, double tx, double T) {
        check(x, tx, T);
        if (x == 0 && shift == 0) {
            return 1;
        }
        // 1 / (1 + a / (b + x + shift - 1) * ((alpha + T) / (alpha + tx))^(r + x)), in logs.
        double logOdds = FastMath.log(a) - FastMath.log(b + x + shift - 1)
                + (r + x) * (FastMath.log(alpha + T) - FastMath.log(alpha + tx));
        return logOdds > 0 ? FastMath.exp(-logOdds) / (1 + FastMath.exp(-logOdds)) : 1 / (1 + FastMath.exp(logOdds));
    }

    /** The probability of no purchase in the next {@code t} after T. */
    public double pNoPurchase(int x, double tx, double T, double t) {
        checkHorizon(t);
        double alive = pAlive(x, tx, T);
        // Alive at T and no purchase in (T, T + t]: with no purchase there is no chance to drop out,
        // and λ given alive at T is gamma(r + x, alpha + T).
        double quiet = FastMath.exp((r + x) * (FastMath.log(alpha + T) - FastMath.log(alpha + T + t)));
        return clamp(1 - alive * (1 - quiet));
    }

    /** The expected number of purchases in the next {@code t} after T, given (x, tₓ, T). */
    public double expectedPurchases(int x, double tx, double T, double t) {
        checkHorizon(t);
        double alive = pAlive(x, tx, T);
        if (t == 0 || alive == 0) {
            return 0;
        }
        // E = (c / (a - 1)) * (1 - ((alpha+T)/(alpha+T+t))^(r+x) * 2F1(r+x, b+x+s; c; z)) * P(alive),
        // c = a+b+x+s-1, z = t/(alpha+T+t). Euler's transformation turns the product into
        // (1-z)^(a-1) * 2F1(a+b+s-1-r, a-1; c; z), whose upper parameters do not grow with x.
        double z = t / (alpha + T + t);
        double c = Hypergeometric.offPole(a + b + x + shift - 1);
        double am1 = nonUnit(a) - 1;
        double f = Hypergeometric.f21(a + b + shift - 1 - r, am1, c, z);
        double bracket = oneMinus(am1 * FastMath.log1p(-z), f);
        return FastMath.max(0, c / am1 * bracket * alive);
    }

    /** The expected number of repeat purchases of a new customer in {@code t} after the first. */
    public double expectedPurchases(double t) {
        checkHorizon(t);
        if (t == 0) {
            return 0;
        }
        // E[X(t)] = (k / (a - 1)) * (1 - (alpha/(alpha+t))^r * 2F1(r, b+s; c; z)), c = a+b+s-1,
        // z = t/(alpha+t), k = a+b-1 (BG/NBD) or b (MBG/NBD: a customer may leave before buying
        // again); after Euler's transformation the product is (1-z)^(a-1) * 2F1(c-r, a-1; c; z).
        double z = t / (alpha + t);
        double c = Hypergeometric.offPole(a + b + shift - 1);
        double am1 = nonUnit(a) - 1;
        double f = Hypergeometric.f21(c - r, am1, c, z);
        double k = shift == 0 ? c : b;
        return FastMath.max(0, k / am1 * oneMinus(am1 * FastMath.log1p(-z), f));
    }

    /**
     * 1 − e^logScale · f, accurately when the product is near 1. f is positive unless c &lt; 0
     * (BG/NBD with a + b &lt; 1), where the series may change sign and no logarithm is taken.
     */
    private static double oneMinus(double logScale, double f) {
        return f > 0 ? -FastMath.expm1(logScale + FastMath.log(f)) : 1 - FastMath.exp(logScale) * f;
    }

    /** P(X(t) = n): the probability that a new customer makes exactly n repeat purchases in t. */
    public double probabilityOfPurchases(int n, double t) {
        return FastMath.exp(logProbabilities(n, t)[n]);
    }

    /** log P(X(t) = k) for k = 0..n, in one pass. */
    public double[] logProbabilities(int n, double t) {
        checkHorizon(t);
        if (n < 0) {
            throw new IllegalArgumentException("n must not be negative: " + n);
        }
        double[] out = new double[n + 1];
        double logQ = FastMath.log(alpha) - FastMath.log(alpha + t); // log(alpha / (alpha + t))
        double logP = t == 0 ? Double.NEGATIVE_INFINITY : FastMath.log(t) - FastMath.log(alpha + t);
        // nbd(k) = Γ(r+k) / (Γ(r) k!) q^r p^k: the chance of k purchases in t while alive.
        double logNbd = r * logQ;
        double cdfBelow = 0; // sum of nbd(j) for j < k
        for (int k = 0; k <= n; k++) {
            if (k > 0) {
                logNbd += FastMath.log(r + k - 1) - FastMath.log(k) + logP;
            }
            double alive = Beta.logBeta(a, b + k + shift) - logBetaAB + logNbd;
            if (k > 0 || shift == 1) {
                double dropped = Beta.logBeta(a + 1, b + k + shift - 1) - logBetaAB + FastMath.log1p(-cdfBelow);
                out[k] = logAddExp(alive, dropped);
            } else {
                out[k] = alive;
            }
            cdfBelow = FastMath.min(1, cdfBelow + FastMath.exp(logNbd));
        }
        return out;
    }

    /** The formulas divide by a - 1; at a = 1 take the limit from a hair's breadth away. */
    private static double nonUnit(double a) {
        return FastMath.abs(a - 1) < 1e-7 ? 1 + 1e-7 : a;
    }

    /** log(e^u + e^v) without overflow. */
    public static double logAddExp(double u, double v) {
        double max = FastMath.max(u, v);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + FastMath.log1p(FastMath.exp(FastMath.min(u, v) - max));
    }

    private static double clamp(double p) {
        return FastMath.min(1, FastMath.max(0, p));
    }

    private static void check(int x, double tx, double T) {
        if (x < 0 || !(tx >= 0) || !(T >= tx) || Double.isInfinite(T)) {
            throw new IllegalArgumentException(
                    "need x >= 0 and 0 <= t_x <= T, got x=" + x + ", t_x=" + tx + ", T=" + T);
        }
    }

    private static void checkHorizon(double t) {
        if (!(t >= 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("the horizon must be a finite time >= 0, got " + t);
        }
    }
}
