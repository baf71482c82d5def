-- Name filters (GET /things?name=, /channels?name=) are a case-insensitive substring match,
-- LOWER(name) LIKE '%x%': a trigram GIN index answers them without reading every row of the owner (158 req/s on
-- 10,000 things before; docs/BENCHMARKS.md). pg_trgm ships with PostgreSQL (Debian: postgresql-15 itself) and is a
-- trusted extension: any user with CREATE on the database may create it. Where it cannot be created, the migration
-- still succeeds and name filters keep working by scanning, as before (the WARNING says so in the server log).
-- Statements inside the block end with a comment so that the migration runner does not split the block there.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm; -- in the block
  CREATE INDEX things_name_trgm ON things USING gin (LOWER(name) gin_trgm_ops); -- in the block
  CREATE INDEX channels_name_trgm ON channels USING gin (LOWER(name) gin_trgm_ops); -- in the block
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'mainflux: no trigram index for name filters (%); they scan instead', SQLERRM; -- in the block
END
$$;
