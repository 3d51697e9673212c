package dev.pond.cli;

import dev.pond.io.AvroCodec;
import dev.pond.io.JsonCodec;
import dev.pond.io.TopicReader;
import dev.pond.job.Topics;
import dev.pond.out.DeadLetter;
import dev.pond.out.Profile;
import dev.pond.out.TagChange;
import dev.pond.out.TagChangeType;
import dev.pond.out.Trigger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * {@code pond verify}: what a live job committed to its output topics, read as a marketing system
 * reads them ({@code read_committed}), against a failure-free {@code pond replay} of the same
 * events. For chaos tests and after an incident: nothing lost, nothing twice.
 *
 * <p>What must be equal, and what can only be consistent. Triggers are a function of event time
 * alone, so every trigger the replay fired up to {@code --until} must be in the topic exactly once,
 * and no other. (Later ones depend on how far the live watermark got.) Tag changes and profiles
 * are made as a user's events arrive from three topics, whose interleaving in a live job depends
 * on how fast each source reads; for them the check is what every correct run has: no record
 * twice, no tag added while present or removed while absent, each user's last profile carrying the
 * tags their changes end with, and the same users profiled as in the replay.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks what a job committed to its output topics (read_committed) against a failure-free",
            "`pond replay` of the same events: triggers equal up to --until, each once; tag changes and",
            "profiles consistent, none twice. Exits 1 if a check fails."
        })
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]", required = true, description = "Kafka brokers.")
    String bootstrapServers;

    @Option(names = "--replay", paramLabel = "DIR", required = true,
            description = "The --out directory of `pond replay` over the same events.")
    Path replay;

    @Option(names = "--until", paramLabel = "INSTANT", required = true,
            description = "Compare triggers fired up to this moment: one the live watermark has passed for sure.")
    Instant until;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "How long reading a topic to its end may take (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--expect-dead-letters", paramLabel = "N",
            description = "Also check that the dead-letter topic holds exactly N committed records: as many as the"
                    + " bad records produced (`pond generate --garbage-rate` says how many).")
    Long expectDeadLetters;

    @Mixin
    KafkaOptions kafka;

    private final PrintStream out = System.out;
    private final List<String> failures = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        for (String name : List.of("triggers.jsonl", "tags.jsonl", "profiles.jsonl")) {
            if (!Files.isRegularFile(replay.resolve(name))) {
                throw new IllegalArgumentException("--replay " + replay + " has no " + name + "; give the --out of"
                        + " `pond replay`");
            }
        }
        Topics topics = kafka.topics();
        List<Trigger> triggers = read(topics.triggers(), Trigger.class);
        List<TagChange> tags = read(topics.tags(), TagChange.class);
        List<Profile> profiles = read(topics.profiles(), Profile.class);
        List<Trigger> replayTriggers = lines("triggers.jsonl", Trigger.class);
        List<Profile> replayProfiles = lines("profiles.jsonl", Profile.class);

        checkTriggers(triggers, replayTriggers);
        Map<String, Set<String>> finalTags = checkTags(tags);
        checkProfiles(profiles, finalTags, replayProfiles);
        checkDeadLetters(read(topics.deadLetters(), DeadLetter.class));

        if (failures.isEmpty()) {
            out.println("verify: OK");
            return 0;
        }
        failures.forEach(f -> out.println("verify: FAILED: " + f));
        return 1;
    }

    private void checkTriggers(List<Trigger> live, List<Trigger> replayed) {
        Map<String, Integer> ids = new HashMap<>();
        live.forEach(t -> ids.merge(t.getTriggerId(), 1, Integer::sum));
        long twice = ids.values().stream().filter(n -> n > 1).count();
        Map<String, Integer> liveUpTo = multiset(live);
        Map<String, Integer> replayUpTo = multiset(replayed);
        List<String> missing = minus(replayUpTo, liveUpTo);
        List<String> extra = minus(liveUpTo, replayUpTo);
        out.printf("triggers: %d committed, %d triggerIds more than once; up to %s: %d committed, %d in the replay,"
                + " %d missing, %d extra%n", live.size(), twice, until, count(liveUpTo), count(replayUpTo),
                missing.size(), extra.size());
        out.println("triggers by type (committed): " + byType(live));
        if (twice > 0) {
            failures.add(twice + " triggerIds were committed more than once");
        }
        if (!missing.isEmpty()) {
            failures.add(missing.size() + " triggers of the replay are not in the topic, e.g. " + missing.get(0));
        }
        if (!extra.isEmpty()) {
            failures.add(extra.size() + " triggers in the topic are not in the replay, e.g. " + extra.get(0));
        }
        if (replayUpTo.isEmpty()) {
            failures.add("the replay fired no trigger up to " + until + ": nothing was compared");
        }
    }

    /** Each user's tags at the end, after checking that the changes are consistent and none comes twice. */
    private Map<String, Set<String>> checkTags(List<TagChange> changes) {
        Set<String> seen = new HashSet<>();
        long twice = 0;
        long inconsistent = 0;
        String example = null;
        String again = null;
        Map<String, Set<String>> now = new TreeMap<>();
        for (TagChange c : changes) {
            String json = JsonCodec.write(c);
            if (!seen.add(json)) {
                twice++;
                again = again != null ? again : json;
                continue;
            }
            Set<String> set = now.computeIfAbsent(c.getUserId(), u -> new TreeSet<>());
            boolean ok = c.getChange() == TagChangeType.ADDED ? set.add(c.getTag()) : set.remove(c.getTag());
            if (!ok) {
                inconsistent++;
                example = example != null ? example : json;
            }
        }
        out.printf("tag changes: %d committed, %d twice, %d inconsistent, %d users%n", changes.size(), twice,
                inconsistent, now.size());
        if (twice > 0) {
            failures.add(twice + " tag changes were committed twice, e.g. " + again);
        }
        if (inconsistent > 0) {
            failures.add(inconsistent + " tag changes add a tag present or remove one absent, e.g. " + example);
        }
        return now;
    }

    private void checkProfiles(List<Profile> live, Map<String, Set<String>> finalTags, List<Profile> replayed) {
        Set<String> seen = new HashSet<>();
        long twice = 0;
        Map<String, Profile> last = new TreeMap<>();
        for (Profile p : live) {
            if (!seen.add(JsonCodec.write(p))) {
                twice++;
            }
            last.put(p.getUserId(), p); // one user's profiles share a partition: read in the order written
        }
        long wrongTags = 0;
        String example = null;
        for (Profile p : last.values()) {
            if (!new TreeSet<>(p.getTags()).equals(finalTags.getOrDefault(p.getUserId(), Set.of()))) {
                wrongTags++;
                example = example != null ? example : p.getUserId();
            }
        }
        Set<String> replayUsers = new TreeSet<>();
        replayed.forEach(p -> replayUsers.add(p.getUserId()));
        Set<String> onlyLive = new TreeSet<>(last.keySet());
        onlyLive.removeAll(replayUsers);
        Set<String> onlyReplay = new TreeSet<>(replayUsers);
        onlyReplay.removeAll(last.keySet());
        out.printf("profiles: %d committed, %d twice, %d users (replay: %d), %d last profiles whose tags differ from"
                + " the tag changes%n", live.size(), twice, last.size(), replayUsers.size(), wrongTags);
        if (twice > 0) {
            failures.add(twice + " profiles were committed twice");
        }
        if (wrongTags > 0) {
            failures.add(wrongTags + " users' last profile does not carry the tags their changes end with, e.g. "
                    + example);
        }
        if (!onlyLive.isEmpty() || !onlyReplay.isEmpty()) {
            failures.add("users with a profile differ from the replay: only live " + onlyLive.size() + ", only replay "
                    + onlyReplay.size());
        }
    }

    /** The triggers fired up to --until, as their JSON, with how often each comes. */
    private Map<String, Integer> multiset(List<Trigger> triggers) {
        Map<String, Integer> m = new TreeMap<>();
        for (Trigger t : triggers) {
            if (!t.getFiredAt().isAfter(until)) {
                m.merge(JsonCodec.write(t), 1, Integer::sum);
            }
        }
        return m;
    }

    private static List<String> minus(Map<String, Integer> a, Map<String, Integer> b) {
        List<String> rest = new ArrayList<>();
        a.forEach((k, n) -> {
            for (int i = b.getOrDefault(k, 0); i < n; i++) {
                rest.add(k);
            }
        });
        return rest;
    }

    private static long count(Map<String, Integer> m) {
        return m.values().stream().mapToLong(Integer::longValue).sum();
    }

    private void checkDeadLetters(List<DeadLetter> letters) {
        Map<String, Long> byTopic = new TreeMap<>();
        letters.forEach(l -> byTopic.merge(l.getSourceTopic(), 1L, Long::sum));
        out.printf("dead letters: %d committed, by source topic %s%n", letters.size(), byTopic);
        if (expectDeadLetters != null && letters.size() != expectDeadLetters) {
            failures.add(letters.size() + " dead letters committed, " + expectDeadLetters + " expected");
        }
    }

    private static Map<String, Long> byType(List<Trigger> triggers) {
        Map<String, Long> m = new TreeMap<>();
        triggers.forEach(t -> m.merge(t.getType().name(), 1L, Long::sum));
        return m;
    }

    private <T extends SpecificRecord> List<T> read(String topic, Class<T> type) throws IOException {
        AvroCodec<T> codec = new AvroCodec<>(type);
        List<T> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r
                : TopicReader.read(bootstrapServers, kafka.clientProperties(), topic, true, timeout)) {
            records.add(codec.decode(r.value()));
        }
        return records;
    }

    private <T extends SpecificRecord> List<T> lines(String file, Class<T> type) throws IOException {
        List<T> records = new ArrayList<>();
        for (String line : Files.readAllLines(replay.resolve(file), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                records.add(JsonCodec.read(line, type));
            }
        }
        return records;
    }
}
