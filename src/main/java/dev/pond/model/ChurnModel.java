package dev.pond.model;

/**
 * The two members of the BG/NBD family Pond can use. Both describe a customer who buys at a
 * Poisson rate λ (gamma-distributed across customers, shape r and rate α) until dropping out;
 * the dropout chance p is beta-distributed (a, b).
 */
public enum ChurnModel {
    /**
     * Fader, Hardie and Lee (2005): a customer may drop out right after each repeat purchase. A
     * customer without repeat purchases is therefore alive for ever (P(alive) = 1).
     */
    BG_NBD,
    /**
     * Batislam, Denizel and Filiztekin (2007): a customer may also drop out right after the first
     * purchase, so that a one-time buyer's P(alive) falls with time like anyone else's.
     */
    MBG_NBD
}
