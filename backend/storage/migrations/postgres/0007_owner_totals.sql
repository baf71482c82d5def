-- The total of an unfiltered list (GET /things, GET /channels) without counting: COUNT(*) over an owner's rows
-- walked every index entry (about 16 ms of a 17 ms page of 100,000 things, docs/BENCHMARKS.md). Row triggers keep
-- one exact count per owner and table in the transaction that inserts or deletes, so `total` stays exact (Mainflux
-- 0.7 clients read it). Concurrent inserts of one owner wait for each other's commit on that owner's row.
-- Statements inside the function end with a comment so that the migration runner does not split it there.
CREATE TABLE owner_totals (
  owner TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL, -- the table counted: things or channels
  total BIGINT NOT NULL,
  PRIMARY KEY (owner, kind)
);
INSERT INTO owner_totals (owner, kind, total) SELECT owner, 'things', COUNT(*) FROM things GROUP BY owner;
INSERT INTO owner_totals (owner, kind, total) SELECT owner, 'channels', COUNT(*) FROM channels GROUP BY owner;
CREATE FUNCTION owner_totals_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE owner_totals SET total = total - 1 WHERE owner = OLD.owner AND kind = TG_TABLE_NAME; -- in the function
  END IF; -- in the function
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO owner_totals AS o (owner, kind, total) VALUES (NEW.owner, TG_TABLE_NAME, 1)
      ON CONFLICT (owner, kind) DO UPDATE SET total = o.total + 1; -- in the function
  END IF; -- in the function
  RETURN NULL; -- in the function
END
$$;
CREATE TRIGGER things_owner_total AFTER INSERT OR DELETE OR UPDATE OF owner ON things
  FOR EACH ROW EXECUTE FUNCTION owner_totals_count();
CREATE TRIGGER channels_owner_total AFTER INSERT OR DELETE OR UPDATE OF owner ON channels
  FOR EACH ROW EXECUTE FUNCTION owner_totals_count();
