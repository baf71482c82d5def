-- The total of an unfiltered list (GET /things, GET /channels) without counting: COUNT(*) over an owner's rows
-- walked every index entry (about 7 ms of a page of 100,000 things, docs/BENCHMARKS.md). Triggers keep one exact
-- count per owner and table in the transaction that inserts or deletes, so `total` stays exact (Mainflux 0.7
-- clients read it).
-- Statements inside a trigger end with a comment so that the migration runner does not split the trigger there.
CREATE TABLE owner_totals (
  owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL, -- the table counted: things or channels
  total INTEGER NOT NULL,
  PRIMARY KEY (owner, kind)
) WITHOUT ROWID;
INSERT INTO owner_totals (owner, kind, total) SELECT owner, 'things', COUNT(*) FROM things GROUP BY owner;
INSERT INTO owner_totals (owner, kind, total) SELECT owner, 'channels', COUNT(*) FROM channels GROUP BY owner;
CREATE TRIGGER things_owner_total_insert AFTER INSERT ON things BEGIN
  INSERT INTO owner_totals (owner, kind, total) VALUES (new.owner, 'things', 1)
    ON CONFLICT (owner, kind) DO UPDATE SET total = total + 1; -- in the trigger
END;
CREATE TRIGGER things_owner_total_delete AFTER DELETE ON things BEGIN
  UPDATE owner_totals SET total = total - 1 WHERE owner = old.owner AND kind = 'things'; -- in the trigger
END;
CREATE TRIGGER things_owner_total_update AFTER UPDATE OF owner ON things BEGIN
  UPDATE owner_totals SET total = total - 1 WHERE owner = old.owner AND kind = 'things'; -- in the trigger
  INSERT INTO owner_totals (owner, kind, total) VALUES (new.owner, 'things', 1)
    ON CONFLICT (owner, kind) DO UPDATE SET total = total + 1; -- in the trigger
END;
CREATE TRIGGER channels_owner_total_insert AFTER INSERT ON channels BEGIN
  INSERT INTO owner_totals (owner, kind, total) VALUES (new.owner, 'channels', 1)
    ON CONFLICT (owner, kind) DO UPDATE SET total = total + 1; -- in the trigger
END;
CREATE TRIGGER channels_owner_total_delete AFTER DELETE ON channels BEGIN
  UPDATE owner_totals SET total = total - 1 WHERE owner = old.owner AND kind = 'channels'; -- in the trigger
END;
CREATE TRIGGER channels_owner_total_update AFTER UPDATE OF owner ON channels BEGIN
  UPDATE owner_totals SET total = total - 1 WHERE owner = old.owner AND kind = 'channels'; -- in the trigger
  INSERT INTO owner_totals (owner, kind, total) VALUES (new.owner, 'channels', 1)
    ON CONFLICT (owner, kind) DO UPDATE SET total = total + 1; -- in the trigger
END;
