package dev.pond.model.fit;

import java.util.List;

/** A parser of one order-file format, fed line by line. */
interface OrderLines {

    /**
     * Takes the next non-blank line.
     *
     * @throws IllegalArgumentException saying what is wrong with the line (the caller adds the
     *     file and line number)
     */
    void accept(String line);

    /** The purchases that stand once every line has been read. */
    List<Purchase> purchases();

    /** Purchases that a later refund or cancellation undid. */
    int undone();
}
