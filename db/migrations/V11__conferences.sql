-- Conference rooms (issue 18): rooms that plain SIP phones dial. A room belongs to a served
-- domain and is dialled as name@domain; the relay mixes, the proxy answers each party itself.

CREATE TABLE conferences (
    id           bigserial PRIMARY KEY,
    domain_id    bigint      NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    -- the same characters as a user name, so a room is dialled like a user
    name         text        NOT NULL
                 CHECK (length(name) BETWEEN 1 AND 128 AND name ~ '^[A-Za-z0-9._~+-]+$'),
    -- digits a party keys (RFC 4733) before it is let into the room; NULL = no PIN
    pin          text        CHECK (pin IS NULL OR pin ~ '^[0-9]{1,16}$'),
    -- the room's own cap on parties; NULL = the relay's ceiling (conference-max-parties)
    max_parties  integer     CHECK (max_parties IS NULL OR max_parties BETWEEN 2 AND 1000),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (domain_id, name)
);

-- Every party's CDR names its room (name@domain), ad hoc rooms included, so a conference's
-- parties can be found together. NULL for ordinary calls.
ALTER TABLE calls
    ADD COLUMN conference text CHECK (conference IS NULL OR length(conference) BETWEEN 3 AND 384);
CREATE INDEX calls_conference ON calls (conference) WHERE conference IS NOT NULL;

-- 'conference-pin-refused': the party keyed a wrong PIN three times (or stayed in the lobby too
-- long) and was hung up. The allowed outcomes are read from the constraint as it stands (as V9
-- does), so values other migrations added are kept.
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
        allowed := array_append(array_remove(allowed, 'conference-pin-refused'), 'conference-pin-refused');
        EXECUTE format('ALTER TABLE calls ADD CONSTRAINT %I CHECK (outcome IS NULL OR outcome = ANY (%L::text[]))',
                       c.conname, allowed);
    END LOOP;
END;
$$;
