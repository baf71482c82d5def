-- Name filters (GET /things?name=, /channels?name=) are a case-insensitive substring match,
-- LOWER(name) LIKE '%x%', which read every row of the owner (158 req/s on 10,000 things before,
-- docs/BENCHMARKS.md). An FTS5 index with the trigram tokenizer finds the rows that contain a filter of three or
-- more characters; the LIKE stays as the exact check (sqlquery.cpp), and shorter filters use it alone.
-- External content: the index stores no copy of the names, only trigrams keyed by the table's rowid, kept in sync
-- by the triggers below. Should rowids ever change (a VACUUM may renumber tables without an INTEGER PRIMARY KEY),
-- INSERT INTO <index>(<index>) VALUES('rebuild') rebuilds it from the table.
-- Statements inside a trigger end with a comment so that the migration runner does not split the trigger there.
CREATE VIRTUAL TABLE things_name_fts USING fts5(name, content='things', content_rowid='rowid', tokenize='trigram');
INSERT INTO things_name_fts(things_name_fts) VALUES ('rebuild');
CREATE TRIGGER things_name_fts_insert AFTER INSERT ON things BEGIN
  INSERT INTO things_name_fts(rowid, name) VALUES (new.rowid, new.name); -- in the trigger
END;
CREATE TRIGGER things_name_fts_delete AFTER DELETE ON things BEGIN
  INSERT INTO things_name_fts(things_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name); -- in the trigger
END;
CREATE TRIGGER things_name_fts_update AFTER UPDATE OF name ON things BEGIN
  INSERT INTO things_name_fts(things_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name); -- in the trigger
  INSERT INTO things_name_fts(rowid, name) VALUES (new.rowid, new.name); -- in the trigger
END;

CREATE VIRTUAL TABLE channels_name_fts USING fts5(name, content='channels', content_rowid='rowid', tokenize='trigram');
INSERT INTO channels_name_fts(channels_name_fts) VALUES ('rebuild');
CREATE TRIGGER channels_name_fts_insert AFTER INSERT ON channels BEGIN
  INSERT INTO channels_name_fts(rowid, name) VALUES (new.rowid, new.name); -- in the trigger
END;
CREATE TRIGGER channels_name_fts_delete AFTER DELETE ON channels BEGIN
  INSERT INTO channels_name_fts(channels_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name); -- in the trigger
END;
CREATE TRIGGER channels_name_fts_update AFTER UPDATE OF name ON channels BEGIN
  INSERT INTO channels_name_fts(channels_name_fts, rowid, name) VALUES ('delete', old.rowid, old.name); -- in the trigger
  INSERT INTO channels_name_fts(rowid, name) VALUES (new.rowid, new.name); -- in the trigger
END;
