-- Several proxies on one database (issue 15, "Several installations"): each binding names the
-- proxy that holds its flow (the NAT mapping the phone registered over exists only there), and
-- every committed change to a binding wakes the other proxies so their binding caches follow
-- within a second instead of by full reloads.
--
-- owner: the registering proxy's pinhole.cluster.address (sip:host:port); NULL for bindings
-- written by a proxy without a cluster address (a single installation), which every proxy takes
-- as its own.
ALTER TABLE registrations
    ADD COLUMN owner text CHECK (owner IS NULL OR length(owner) BETWEEN 1 AND 256);

-- The payload is the user whose bindings changed: a listener reloads that user's rows only.
-- Identical payloads in one transaction are sent once (PostgreSQL folds them), so a batch of one
-- user's bindings wakes each proxy once. TRUNCATE says '*': reload everything.
CREATE FUNCTION registrations_notify_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('pinhole_registrations', '*');
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('pinhole_registrations', OLD.user_id::text);
    ELSE
        PERFORM pg_notify('pinhole_registrations', NEW.user_id::text);
    END IF;
    RETURN NULL;
END;
$$;

-- Only the columns a call is routed by: the capability probe's updates of its own columns
-- (V4) wake nobody.
CREATE TRIGGER registrations_changed
    AFTER INSERT OR DELETE OR UPDATE OF binding_key, contact_uri, q, expires_at, source_address, source_port,
        transport, instance_id, reg_id, owner ON registrations
    FOR EACH ROW EXECUTE FUNCTION registrations_notify_change();

CREATE TRIGGER registrations_truncated
    AFTER TRUNCATE ON registrations
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_notify_change();
