-- Relay failover (issue 15): a call whose relay died is moved to another relay by re-INVITE, or,
-- when it cannot be, hung up. The CDR says how often the call moved, and why it could not stay on
-- a relay (the text names the dead relay: "relay relay-a (id 1) died: no other relay up").
ALTER TABLE calls
    ADD COLUMN relay_failovers smallint NOT NULL DEFAULT 0 CHECK (relay_failovers >= 0),
    ADD COLUMN relay_failure text CHECK (relay_failure IS NULL OR length(relay_failure) <= 500);

-- 'relay-failed': an answered call's relay died and the call could not be moved (BYE both ways).
-- The allowed outcomes are read from the constraint as it stands (as V9 and V11 do), so values
-- other migrations added are kept.
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
        -- V9 wrote the list as one array literal ('{a,b}'::text[]), V5 as quoted items: read either
        IF c.definition ~ '''\{' THEN
            allowed := string_to_array(substring(c.definition from '''\{([^}]*)\}'''), ',');
        ELSE
            SELECT array_agg(DISTINCT m[1] ORDER BY m[1]) INTO allowed
              FROM regexp_matches(c.definition, '''([^'']+)''', 'g') AS m;
        END IF;
        EXECUTE format('ALTER TABLE calls DROP CONSTRAINT %I', c.conname);
        allowed := array_append(array_remove(allowed, 'relay-failed'), 'relay-failed');
        EXECUTE format('ALTER TABLE calls ADD CONSTRAINT %I CHECK (outcome IS NULL OR outcome = ANY (%L::text[]))',
                       c.conname, allowed);
    END LOOP;
END;
$$;
