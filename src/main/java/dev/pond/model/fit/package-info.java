/**
 * {@code pond fit}: learns the numbers of the model file from a shop's order history. Orders are
 * read ({@link dev.pond.model.fit.OrderFileReader}), summarised per customer at a calibration end
 * ({@link dev.pond.model.fit.CustomerSummaries}), and the churn (BG/NBD, MBG/NBD), spend
 * (Gamma-Gamma), RFM and category sections are fitted ({@link dev.pond.model.fit.ModelFit}) and
 * written over a base model ({@link dev.pond.model.fit.ModelFileWriter}). Plain Java, no Flink.
 */
package dev.pond.model.fit;
