-- Admin API (issue 20): relays can be drained, and a CDR can say the admin ended the call.

-- A draining relay stays in every proxy's pool (pinged, reached over ng by the calls it carries,
-- so they end normally and their CDRs get packet counts) but is given no new call.
ALTER TABLE relays
    ADD COLUMN draining boolean NOT NULL DEFAULT false;

-- 'admin-hangup': the call was ended through the admin API (BYE to both legs). The allowed
-- outcomes are read from the constraint as it stands, not repeated here, so values that other
-- migrations added to the V1 list are kept.
DO $$
DECLARE
    c       record;
    allowed text[];
BEGIN
    FOR c IN SELECT conname, pg_get_constraintdef(oid) AS definition
               FROM pg_constraint
              WHERE conrelid = 'calls'::regclass AND contype = 'c'
                AND pg_get_constraintdef(oid) LIKE '%outcome = ANY%'
    LOOP
        SELECT array_agg(DISTINCT m[1] ORDER BY m[1]) INTO allowed
          FROM regexp_matches(c.definition, '''([^'']+)''', 'g') AS m;
        EXECUTE format('ALTER TABLE calls DROP CONSTRAINT %I', c.conname);
        allowed := array_append(array_remove(allowed, 'admin-hangup'), 'admin-hangup');
        EXECUTE format('ALTER TABLE calls ADD CONSTRAINT %I CHECK (outcome IS NULL OR outcome = ANY (%L::text[]))',
                       c.conname, allowed);
    END LOOP;
END;
$$;
