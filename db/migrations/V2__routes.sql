-- Routes, second step (issue 5): per-route number normalisation and number format, trunk
-- settings, and a notification so every redirect server reloads its in-memory table within a
-- second of a change.

-- How a dialled number becomes E.164 before it is compared with a '+' prefix, and how it is
-- written into the Contact. A prefix without '+' is compared with the digits as dialled.
--   intl_prefix      dialled prefix that stands for '+' ('00' in most of Europe, '011' in NANP)
--   national_prefix  trunk prefix of a national number ('0'); needs country_code
--   country_code     country code put in front of a national number ('49')
--   plus_optional    digits with no recognised prefix are already E.164 without the '+'
--   number_format    how the number is written as the user part of the Contact:
--                    as-received, e164 (+4930...), e164-digits (4930...), national (030...)
ALTER TABLE routes
    ADD COLUMN intl_prefix     text    CHECK (intl_prefix IS NULL OR intl_prefix ~ '^[0-9]{1,4}$'),
    ADD COLUMN national_prefix text    CHECK (national_prefix IS NULL OR national_prefix ~ '^[0-9]{1,4}$'),
    ADD COLUMN country_code    text    CHECK (country_code IS NULL OR country_code ~ '^[1-9][0-9]{0,2}$'),
    ADD COLUMN plus_optional   boolean NOT NULL DEFAULT false,
    ADD COLUMN number_format   text    NOT NULL DEFAULT 'as-received'
               CHECK (number_format IN ('as-received', 'e164', 'e164-digits', 'national')),
    ADD CONSTRAINT routes_national_prefix_needs_country
               CHECK (national_prefix IS NULL OR country_code IS NOT NULL),
    ADD CONSTRAINT routes_national_format_needs_country
               CHECK (number_format <> 'national' OR country_code IS NOT NULL),
    -- a route matches a user at a domain, a whole domain, or a number prefix: never user and prefix
    ADD CONSTRAINT routes_user_or_prefix CHECK (match_user IS NULL OR match_prefix IS NULL);

-- Trunk settings. transport is put on the Contact as ;transport=. Outbound digest credentials
-- towards a carrier are kept as HA1 digests over "username:realm:password" (the realm the
-- carrier challenges with), never as the plain password: HA1 is all a client needs to answer
-- a challenge for that realm. They are for the proxy that places the call; the redirect server
-- never reads or sends them.
ALTER TABLE routes
    ADD COLUMN transport       text CHECK (transport IS NULL OR transport IN ('udp', 'tcp', 'tls')),
    ADD COLUMN auth_username   text CHECK (auth_username IS NULL OR length(auth_username) BETWEEN 1 AND 128),
    ADD COLUMN auth_realm      text CHECK (auth_realm IS NULL OR length(auth_realm) BETWEEN 1 AND 253),
    ADD COLUMN auth_ha1_md5    text CHECK (auth_ha1_md5 IS NULL OR auth_ha1_md5 ~ '^[0-9a-f]{32}$'),
    ADD COLUMN auth_ha1_sha256 text CHECK (auth_ha1_sha256 IS NULL OR auth_ha1_sha256 ~ '^[0-9a-f]{64}$'),
    ADD CONSTRAINT routes_auth_for_trunks_only CHECK (auth_username IS NULL OR kind = 'trunk'),
    ADD CONSTRAINT routes_auth_complete CHECK (
        (auth_username IS NULL AND auth_realm IS NULL AND auth_ha1_md5 IS NULL AND auth_ha1_sha256 IS NULL)
        OR (auth_username IS NOT NULL AND auth_realm IS NOT NULL
            AND (auth_ha1_md5 IS NOT NULL OR auth_ha1_sha256 IS NOT NULL)));

CREATE INDEX routes_match_domain ON routes (lower(match_domain));
CREATE INDEX routes_match_prefix ON routes (match_prefix);

-- Every change to routes, committed, wakes the redirect servers (LISTEN pinhole_routes); they
-- reload the whole table, so the payload only says what kind of statement it was. One
-- notification per statement: a bulk load does not cause a reload per row.
CREATE FUNCTION routes_notify_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pinhole_routes', TG_OP);
    RETURN NULL;
END;
$$;

CREATE TRIGGER routes_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routes
    FOR EACH STATEMENT EXECUTE FUNCTION routes_notify_change();
