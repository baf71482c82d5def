-- Device status (services/status): one row per thing heard from; the service keeps the truth in memory and writes
-- changes here, so lists can filter and sort by it and a restart keeps last_seen.
CREATE TABLE thing_status (
  thing TEXT PRIMARY KEY REFERENCES things(id) ON DELETE CASCADE,
  online INTEGER NOT NULL DEFAULT 0,
  last_seen BIGINT NOT NULL DEFAULT 0,
  last_protocol TEXT NOT NULL DEFAULT '',
  connected_since BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX thing_status_seen ON thing_status(online, last_seen);

-- Every change of online/offline, bounded per thing by the status service.
CREATE TABLE thing_status_history (
  thing TEXT NOT NULL REFERENCES things(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  online INTEGER NOT NULL,
  protocol TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX thing_status_history_thing ON thing_status_history(thing, at);

-- The latest value of every SenML name per publisher and channel, kept by the writer in the transaction that
-- stores the records (never recomputed from messages on a read).
CREATE TABLE latest_values (
  channel TEXT NOT NULL,
  publisher TEXT NOT NULL,
  name TEXT NOT NULL,
  subtopic TEXT NOT NULL DEFAULT '',
  protocol TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  value REAL,
  string_value TEXT,
  bool_value INTEGER,
  data_value TEXT,
  sum REAL,
  time REAL NOT NULL,
  created BIGINT NOT NULL,
  PRIMARY KEY (channel, publisher, name)
);
CREATE INDEX latest_values_publisher ON latest_values(publisher, channel);
