-- V16's trigger ran a plpgsql function for every changed row: at 2,000 REGISTERs/s (bench/register)
-- every refresh paid for an after-trigger event and a function call, about a third of a batched
-- upsert's own cost, even on a single installation where nobody listens. These triggers run once
-- per statement over its transition tables instead; the binding writer sends a batch as one
-- statement, so a batch wakes the function once. What is notified is unchanged: one
-- notification per user whose bindings changed (PostgreSQL folds identical payloads in a
-- transaction), '*' on TRUNCATE (registrations_truncated, V16, stays).
--
-- A trigger with transition tables takes neither a column list nor several events, so the update
-- trigger compares the routing columns itself: the capability probe's updates of its own
-- columns (V4) still wake nobody, and neither does an update that changes nothing they hold.
DROP TRIGGER registrations_changed ON registrations;

CREATE FUNCTION registrations_notify_rows() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        PERFORM pg_notify('pinhole_registrations', user_id::text)
        FROM (SELECT DISTINCT n.user_id
              FROM changed_rows n JOIN previous_rows o ON o.id = n.id
              WHERE (n.user_id, n.binding_key, n.contact_uri, n.q, n.expires_at, n.source_address, n.source_port,
                     n.transport, n.instance_id, n.reg_id, n.owner)
                    IS DISTINCT FROM
                    (o.user_id, o.binding_key, o.contact_uri, o.q, o.expires_at, o.source_address, o.source_port,
                     o.transport, o.instance_id, o.reg_id, o.owner)) AS users;
    ELSE
        PERFORM pg_notify('pinhole_registrations', user_id::text)
        FROM (SELECT DISTINCT user_id FROM changed_rows) AS users;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registrations_inserted
    AFTER INSERT ON registrations
    REFERENCING NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_notify_rows();

CREATE TRIGGER registrations_updated
    AFTER UPDATE ON registrations
    REFERENCING OLD TABLE AS previous_rows NEW TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_notify_rows();

CREATE TRIGGER registrations_deleted
    AFTER DELETE ON registrations
    REFERENCING OLD TABLE AS changed_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_notify_rows();
