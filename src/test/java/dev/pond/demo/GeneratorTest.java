package dev.pond.demo;

import dev.pond.events.ArticleRead;
import dev.pond.events.ClickEvent;
import dev.pond.events.ClickType;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator is deterministic (same seed, same events) and its users are individuals: nothing
 * that should differ from user to user is the same for all of them.
 */
class GeneratorTest {

    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @Test
    void theSameSeedGivesTheSameEventsAndAnotherSeedOthers() {
        List<SpecificRecord> a = generate(7, 200, 30);
        List<SpecificRecord> b = generate(7, 200, 30);
        List<SpecificRecord> c = generate(8, 200, 30);

        assertThat(a).hasSizeGreaterThan(1_000).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void usersSignUpOnDifferentChannelsAndReadDifferentFirstArticles() {
        Set<String> channels = new TreeSet<>();
        Map<String, String> firstArticle = new HashMap<>();
        for (SpecificRecord e : generate(7, 500, 30)) {
            if (e instanceof ClickEvent click && click.getType() == ClickType.SIGNUP) {
                channels.add(click.getChannel());
            } else if (e instanceof ArticleRead read) {
                firstArticle.putIfAbsent(read.getUserId(), read.getArticleId());
            }
        }

        assertThat(channels).containsExactly("app", "sms", "web", "wechat");
        assertThat(new TreeSet<>(firstArticle.values())).hasSizeGreaterThan(30);
    }

    static List<SpecificRecord> generate(long seed, int users, int days) {
        Generator generator = new Generator(new Generator.Config(
                seed, users, START, START.plus(Duration.ofDays(days)), Duration.ofDays(days).dividedBy(2)));
        List<SpecificRecord> out = new ArrayList<>();
        generator.forEachRemaining(out::add);
        return out;
    }
}
