-- Alert rules (services/rules): a threshold or no-data condition on one SenML name of an owner's channel. The rules
-- service keeps every rule in memory (an index channel -> name -> rules) and never reads this table per record.
CREATE TABLE rules (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  channel TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  senml_name TEXT NOT NULL,
  publisher TEXT NOT NULL DEFAULT '',
  condition TEXT NOT NULL,
  threshold DOUBLE PRECISION,
  low DOUBLE PRECISION,
  high DOUBLE PRECISION,
  nodata_seconds BIGINT NOT NULL DEFAULT 0,
  hold_seconds BIGINT NOT NULL DEFAULT 0,
  hysteresis DOUBLE PRECISION NOT NULL DEFAULT 0,
  notify_channel TEXT REFERENCES channels(id) ON DELETE SET NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX rules_owner_created ON rules(owner, created_at, id);
CREATE INDEX rules_channel ON rules(channel);

-- One row per firing of a rule: opened when it fires, marked cleared when it clears (the rules service restores the
-- firing ones at start, so a restart neither repeats nor loses a firing). Bounded per rule by the service.
CREATE TABLE alerts (
  id BIGSERIAL PRIMARY KEY,
  rule TEXT NOT NULL REFERENCES rules(id) ON DELETE CASCADE,
  owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  firing BOOLEAN NOT NULL,
  fired_at BIGINT NOT NULL,
  value DOUBLE PRECISION,
  cleared_at BIGINT NOT NULL DEFAULT 0,
  clear_value DOUBLE PRECISION,
  acked_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX alerts_rule ON alerts(rule, id);
CREATE INDEX alerts_owner ON alerts(owner, id);
