CREATE TABLE messages (
  id BIGSERIAL PRIMARY KEY,
  channel TEXT NOT NULL,
  subtopic TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  protocol TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  value DOUBLE PRECISION,
  string_value TEXT,
  bool_value BOOLEAN,
  data_value TEXT,
  sum DOUBLE PRECISION,
  time DOUBLE PRECISION NOT NULL,
  update_time DOUBLE PRECISION NOT NULL DEFAULT 0,
  content_type TEXT NOT NULL DEFAULT '',
  payload BYTEA,
  created BIGINT NOT NULL,
  source_seq BIGINT NOT NULL,
  source_idx INTEGER NOT NULL,
  -- A redelivered message is stored once. The accepted time is part of the key because stream sequences start
  -- again at 1 when the stream is recreated (new nats-server data, another server) while the database lives on.
  UNIQUE (source_seq, source_idx, created)
);
CREATE INDEX messages_channel_time ON messages(channel, time, id);
