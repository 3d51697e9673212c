package dev.pond.model.fit;

import dev.pond.core.value.BgNbd;
import dev.pond.model.ChurnModel;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

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
        Map<ChurnModel, String> failures = new EnumMap<>(ChurnModel.class);
        BgNbdFit bg = fitOrNote(ChurnModel.BG_NBD, likelihood, failures);
        BgNbdFit mbg = fitOrNote(ChurnModel.MBG_NBD, likelihood, failures);
        if (bg == null && mbg == null) {
            throw new IllegalArgumentException(failures.get(ChurnModel.MBG_NBD));
        }
        List<BgNbd> models = new ArrayList<>();
        models.add(bg == null ? null : bg.model());
        models.add(mbg == null ? null : mbg.model());
        return new FitResult(orders.file().getFileName().toString(), orders.format(), orders.lines(), orders.undone(),
                end, customers.size(), counted, purchases.size() - counted, bg, mbg, failures,
                GammaGammaFitter.fit(customers), RfmCuts.fit(customers),
                options.cycles(), CategoryCycles.fit(customers, options.cycles()),
                RelatedCategories.fit(customers, options.related()),
                FitReport.of(customers, models), null);
    }

    /**
     * One churn model's fit, or null with the reason noted: the file needs only the chosen one,
     * so the other failing must not stop the command.
     */
    private static BgNbdFit fitOrNote(ChurnModel kind, BgNbdLikelihood likelihood, Map<ChurnModel, String> failures) {
        try {
            return BgNbdFitter.fit(kind, likelihood);
        } catch (IllegalArgumentException e) {
            failures.put(kind, e.getMessage());
            return null;
        }
    }

    private static CalibrationEnd lastPurchaseDay(List<Purchase> purchases) {
        java.time.Instant last = purchases.get(0).time();
        for (Purchase p : purchases) {
            last = p.time().isAfter(last) ? p.time() : last;
        }
        return CalibrationEnd.endOf(LocalDate.ofInstant(last, ZoneOffset.UTC));
    }
}
