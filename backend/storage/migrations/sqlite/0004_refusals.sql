-- Messages the adapters refused, with the reason and the first bytes (services/status keeps the newest per channel
-- and a bound on all). No foreign keys: a refusal may name a channel that does not exist.
CREATE TABLE refusals (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at BIGINT NOT NULL,
  channel TEXT NOT NULL,
  thing TEXT NOT NULL DEFAULT '',
  protocol TEXT NOT NULL DEFAULT '',
  client TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  payload_head BLOB,
  payload_size BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX refusals_channel ON refusals(channel, id);
CREATE INDEX refusals_thing ON refusals(thing, id);
