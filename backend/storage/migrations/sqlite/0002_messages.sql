CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  channel TEXT NOT NULL,
  subtopic TEXT NOT NULL DEFAULT '',
  publisher TEXT NOT NULL DEFAULT '',
  protocol TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  unit TEXT NOT NULL DEFAULT '',
  value REAL,
  string_value TEXT,
  bool_value INTEGER,
  data_value TEXT,
  sum REAL,
  time REAL NOT NULL,
  update_time REAL NOT NULL DEFAULT 0,
  content_type TEXT NOT NULL DEFAULT '',
  payload BLOB,
  created BIGINT NOT NULL,
  source_seq BIGINT NOT NULL,
  source_idx INTEGER NOT NULL,
  UNIQUE (source_seq, source_idx)
);
CREATE INDEX messages_channel_time ON messages(channel, time, id);
