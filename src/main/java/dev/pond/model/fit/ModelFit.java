package dev.pond.model.fit;

import dev.pond.model.ChurnModel;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fits every learnt section of the model from the orders read: both churn models, the spend
 * model, RFM cut points and the category cycles and pairs, plus the fit report. Deterministic:
 * the same orders give the same numbers, bit for bit.
 */
public final class ModelFit {

    private ModelFit() {}

    /**
     * @param windowMonths the RFM window of the model the cuts are for
     * @throws IllegalArgumentException if there is nothing to fit or a model cannot be fitted
     */
    public static FitResult run(OrderFileReader.Orders orders, FitOptions options, int windowMonths) {
        List<Purchase> purchases = orders.purchases();
        if (purchases.isEmpty()) {
            throw new IllegalArgumentException(orders.file() + " has no purchases");
        }
        CalibrationEnd end = options.calibrationEnd() != null ? options.calibrationEnd() : lastPurchaseDay(purchases);
        List<CustomerSummary> customers = CustomerSummaries.at(purchases, end, windowMonths);
        if (customers.isEmpty()) {
            throw new IllegalArgumentException("no purchases in " + orders.file() + " up to the calibration end "
                    + end.day());
        }
        long counted = purchases.stream().filter(p -> end.includes(p.time())).count();
        BgNbdLikelihood likelihood = BgNbdLikelihood.of(customers);
        BgNbdFit bg = BgNbdFitter.fit(ChurnModel.BG_NBD, likelihood);
        BgNbdFit mbg = BgNbdFitter.fit(ChurnModel.MBG_NBD, likelihood);
        return new FitResult(orders.file().getFileName().toString(), orders.format(), orders.lines(), orders.undone(),
                end, customers.size(), counted, purchases.size() - counted, bg, mbg, GammaGammaFitter.fit(customers),
                RfmCuts.fit(customers), CategoryCycles.fit(customers, options.minCycleGaps()),
                RelatedCategories.fit(customers, options.related()),
                FitReport.of(customers, List.of(bg.model(), mbg.model())));
    }

    private static CalibrationEnd lastPurchaseDay(List<Purchase> purchases) {
        java.time.Instant last = purchases.get(0).time();
        for (Purchase p : purchases) {
            last = p.time().isAfter(last) ? p.time() : last;
        }
        return CalibrationEnd.endOf(LocalDate.ofInstant(last, ZoneOffset.UTC));
    }
}
