package dev.pond.io;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** A reason is printable and bounded whatever text it quotes. */
class ReasonsTest {

    @Test
    void controlCharactersAndLoneSurrogatesAreEscaped() {
        assertThat(Reasons.printable("a\u0000b\tc\u007fd\u0085e\\f")).isEqualTo("a\\x00b\\x09c\\x7fd\\x85e\\f");
        assertThat(Reasons.printable("x\ud800y")).isEqualTo("x\\ud800y");
    }

    @Test
    void printableTextOutsideAsciiIsKept() {
        assertThat(Reasons.printable("category 美妆 \ud83d\ude00")).isEqualTo("category 美妆 \ud83d\ude00");
    }

    @Test
    void aLongReasonIsCutToTheBoundWithAMark() {
        String cut = Reasons.printable("x".repeat(5_000));
        assertThat(cut).hasSize(Reasons.MAX_REASON).endsWith("...");
        assertThat(Reasons.printable("x".repeat(Reasons.MAX_REASON))).isEqualTo("x".repeat(Reasons.MAX_REASON));
        assertThat(Reasons.printable("\u0001".repeat(1_000))).hasSizeLessThanOrEqualTo(Reasons.MAX_REASON).endsWith("...");
    }

    @Test
    void aQuotedValueIsCutAndSaysItsLength() {
        assertThat(Reasons.value("a".repeat(100))).isEqualTo("a".repeat(64) + "... (100 characters)");
        assertThat(Reasons.value("\u0000\u0000")).isEqualTo("\\x00\\x00");
        assertThat(Reasons.value("a\\x00")).as("an escape in the value is not one of ours").isEqualTo("a\\\\x00");
        assertThat(Reasons.value(null)).isEqualTo("null");
    }

    @Test
    void noTextGivesAControlCharacterOrExceedsTheBound() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            char[] text = new char[random.nextInt(2_000)];
            for (int j = 0; j < text.length; j++) {
                text[j] = (char) random.nextInt(random.nextBoolean() ? 0x100 : 0x10000);
            }
            String reason = Reasons.printable(new String(text));
            assertThat(reason.length()).isLessThanOrEqualTo(Reasons.MAX_REASON);
            assertThat(reason.chars().noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f))).isTrue();
            for (int j = 0; j < reason.length(); j++) {
                char c = reason.charAt(j);
                if (Character.isHighSurrogate(c)) {
                    assertThat(j + 1 < reason.length() && Character.isLowSurrogate(reason.charAt(j + 1))).isTrue();
                    j++;
                } else {
                    assertThat(Character.isLowSurrogate(c)).isFalse();
                }
            }
        }
    }
}
