-- Pond's topics as Flink SQL tables: Kafka connector, Avro format.
--
-- Every Pond topic holds plain Avro binary (no header, no schema id) of the records in schemas/,
-- with enums written as their symbols' names (STRING here). The columns below are that layout:
-- their order, types and NOT NULLs are what Flink's `avro` format derives the Avro schema from,
-- so change them only together with the schema (FlinkSqlIT reads every column of every table).
--
-- Times are instants: TIMESTAMP_LTZ(3), with 'avro.timestamp_mapping.legacy' = 'false' (Avro's
-- timestamp-millis is an instant; the legacy mapping would read it as TIMESTAMP).
--
-- No table declares a watermark. Pond's outputs are in event-time order per user, not per topic:
-- while the job catches up on a backlog, one partition's records can be days ahead of another's,
-- and a window (TUMBLE, HOP) would drop whatever arrives after its watermark passed. Group by
-- FLOOR(firedAt TO HOUR) instead (see examples.sql): exact, and updated as records arrive. For a
-- windowed query, declare the lateness you accept on a copy of the table:
--   CREATE TABLE triggers_w (WATERMARK FOR firedAt AS firedAt - INTERVAL '1' HOUR) LIKE triggers;
--
-- Only Pond's outputs are here. Flink SQL's avro format fails a query on the first record that
-- does not decode, and cannot skip it; Pond writes nothing else to its outputs, while the input
-- topics take whatever producers send (Pond routes such records to pond.deadletter).
--
-- Point the tables at your broker without editing this file, e.g. in the SQL client:
--   ALTER TABLE triggers SET ('properties.bootstrap.servers' = 'kafka-1:9092');
-- or read a fixed snapshot with ('scan.bounded.mode' = 'latest-offset').
-- Output topics are written in Kafka transactions: read them read_committed, as below, or you
-- see records of transactions that were aborted when the job failed over.

-- pond.triggers: one row per marketing action, exactly once.
CREATE TABLE triggers (
  triggerId    STRING NOT NULL,
  userId       STRING NOT NULL,
  `type`       STRING NOT NULL,            -- CART_ABANDONED, HIGH_INTENT, CHURN_RISK, WIN_BACK, ...
  firedAt      TIMESTAMP_LTZ(3) NOT NULL,
  expiresAt    TIMESTAMP_LTZ(3) NOT NULL,
  priority     INT NOT NULL,
  reason       STRING NOT NULL,
  facts        ROW<
                 scores     MAP<STRING NOT NULL, DOUBLE NOT NULL> NOT NULL,
                 counts     MAP<STRING NOT NULL, BIGINT NOT NULL> NOT NULL,
                 items      ARRAY<ROW<productId STRING NOT NULL, category STRING,
                                      quantity INT NOT NULL, unitPrice DOUBLE NOT NULL> NOT NULL> NOT NULL,
                 eventIds   ARRAY<STRING NOT NULL> NOT NULL,
                 categories ARRAY<STRING NOT NULL> NOT NULL
               > NOT NULL,
  offer        ROW<code STRING NOT NULL, `description` STRING NOT NULL>,
  modelVersion STRING NOT NULL,
  deferredFrom TIMESTAMP_LTZ(3)
) WITH (
  'connector' = 'kafka',
  'topic' = 'pond.triggers',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro',
  'avro.timestamp_mapping.legacy' = 'false'
);

-- pond.tags: every tag a user gained or lost; folding them gives the user's tags.
CREATE TABLE tag_changes (
  userId STRING NOT NULL,
  tag    STRING NOT NULL,                  -- family:value (lifecycle:active, tier:gold, ...) or a flag (koc)
  change STRING NOT NULL,                  -- ADDED or REMOVED
  `at`   TIMESTAMP_LTZ(3) NOT NULL,
  reason STRING NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = 'pond.tags',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro',
  'avro.timestamp_mapping.legacy' = 'false'
);

-- pond.profiles: compacted, keyed by userId; as an upsert table each user's latest profile counts.
CREATE TABLE profiles (
  userId             STRING NOT NULL,
  updatedAt          TIMESTAMP_LTZ(3) NOT NULL,
  lifecycle          STRING NOT NULL,      -- PROSPECT, NEW, ACTIVE, SLEEPING, CHURNED
  tier               STRING,
  rfm                ROW<recencyDays INT NOT NULL, frequency INT NOT NULL, monetary DOUBLE NOT NULL,
                         r INT NOT NULL, f INT NOT NULL, m INT NOT NULL, rfmClass STRING NOT NULL>,
  intent             DOUBLE NOT NULL,
  topCategories      ARRAY<ROW<category STRING NOT NULL, score DOUBLE NOT NULL> NOT NULL> NOT NULL,
  tags               ARRAY<STRING NOT NULL> NOT NULL,
  lifetimeOrders     INT NOT NULL,
  lifetimeSpend      DOUBLE NOT NULL,
  firstSeenAt        TIMESTAMP_LTZ(3) NOT NULL,
  lastSeenAt         TIMESTAMP_LTZ(3) NOT NULL,
  lastOrderAt        TIMESTAMP_LTZ(3),
  pAlive             DOUBLE,
  churnRisk          DOUBLE,
  expectedPurchases  DOUBLE,
  expectedOrderValue DOUBLE,
  clv                DOUBLE,
  firstTouchChannel  STRING,
  modelVersion       STRING NOT NULL,
  -- `at` is TIMESTAMP(3), the UTC time of day, not TIMESTAMP_LTZ(3): Flink 2.2's avro format maps a
  -- time inside an array with the legacy mapping whatever the option says, and refuses LTZ there.
  triggersNotSent    ARRAY<ROW<triggerId STRING NOT NULL, `type` STRING NOT NULL, `at` TIMESTAMP(3) NOT NULL,
                               outcome STRING NOT NULL, reason STRING NOT NULL> NOT NULL> NOT NULL,
  points             BIGINT NOT NULL,
  PRIMARY KEY (userId) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'pond.profiles',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'key.format' = 'raw',
  'value.format' = 'avro',
  'value.avro.timestamp_mapping.legacy' = 'false'
);

-- pond.segments: per segment and minute of event time that changed, members at its end.
CREATE TABLE segments (
  segment   STRING NOT NULL,               -- named like its tag: lifecycle:sleeping, rfm:important-value, ...
  windowEnd TIMESTAMP_LTZ(3) NOT NULL,
  members   BIGINT NOT NULL,
  entered   BIGINT NOT NULL,
  exited    BIGINT NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = 'pond.segments',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro',
  'avro.timestamp_mapping.legacy' = 'false'
);

-- pond.alerts: the sleeping share rose above its threshold (raised) or fell back.
CREATE TABLE alerts (
  alert       STRING NOT NULL,             -- sleeping-share
  windowEnd   TIMESTAMP_LTZ(3) NOT NULL,
  raised      BOOLEAN NOT NULL,
  share       DOUBLE NOT NULL,
  threshold   DOUBLE NOT NULL,
  numerator   BIGINT NOT NULL,
  denominator BIGINT NOT NULL
) WITH (
  'connector' = 'kafka',
  'topic' = 'pond.alerts',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro',
  'avro.timestamp_mapping.legacy' = 'false'
);

-- pond.deadletter: input records that did not decode or validate, with why.
CREATE TABLE dead_letters (
  sourceTopic STRING NOT NULL,
  `partition` INT NOT NULL,
  `offset`    BIGINT NOT NULL,
  `timestamp` TIMESTAMP_LTZ(3),
  `key`       BYTES,
  `raw`       BYTES NOT NULL,
  error       STRING NOT NULL,
  rawSize     BIGINT,
  rawSha256   STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'pond.deadletter',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.isolation.level' = 'read_committed',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'avro',
  'avro.timestamp_mapping.legacy' = 'false'
);
