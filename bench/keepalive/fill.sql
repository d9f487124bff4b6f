-- bench/keepalive/fill.sql -- :users users x :contacts contacts, every binding a live NATed
-- UDP registration, written straight into the tables of db/migrations (run by run.sh through psql
-- while the proxy is stopped; the proxy loads them at start-up, BindingRepository.loadLive).
--   users          u00001 .. in domain keepalive.test, HA1 over "user:realm:password" as V1 defines
--   contact        sip:uNNNNN@10.a.b.c:5060, a private address per binding; the flow (source
--                  address/port) is 127.0.0.1:<:port_base + i mod :ports>, the responder: Contact
--                  != packet source, so NatDetector says "behind NAT" and the keepalive pings it
--   capabilities   filled in (probed_at set), as a restarted proxy finds them after its probes:
--                  the capability probe does not probe 100,000 flows again in the measured window
-- psql variables: users, contacts, port_base, ports
\set ON_ERROR_STOP 1
BEGIN;
INSERT INTO domains (name) VALUES ('keepalive.test') ON CONFLICT (name) DO NOTHING;

INSERT INTO users (domain_id, username, ha1_md5, ha1_sha256)
SELECT d.id, u.name,
       md5(u.name || ':keepalive.test:secret-' || u.name),
       encode(sha256(convert_to(u.name || ':keepalive.test:secret-' || u.name, 'UTF8')), 'hex')
FROM domains d
CROSS JOIN LATERAL (SELECT 'u' || lpad(g::text, 5, '0') AS name FROM generate_series(1, :users) g) u
WHERE d.name = 'keepalive.test';

INSERT INTO registrations (user_id, binding_key, contact_uri, call_id, cseq, q, expires_seconds, expires_at,
                           source_address, source_port, transport, user_agent, registered_at,
                           sends_udp, nat_mapping, nat_filtering, unsolicited_udp, capability_reason, probed_at)
SELECT b.user_id, b.contact, b.contact, 'bench-keepalive-' || b.i || '@10.0.0.1', 1, NULL, 7200,
       now() + interval '3 hours',
       '127.0.0.1'::inet, :port_base + (b.i % :ports), 'UDP', 'bench/keepalive', now(),
       true, 'UNKNOWN', 'UNKNOWN', NULL, 'bench/keepalive: inserted by SQL, not probed', now()
FROM (
    SELECT u.id AS user_id, i,
           'sip:' || u.username || '@10.' || (1 + i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256)
               || ':5060' AS contact
    FROM users u
    JOIN domains d ON d.id = u.domain_id AND d.name = 'keepalive.test'
    CROSS JOIN LATERAL (SELECT (substr(u.username, 2)::int - 1) * :contacts + k AS i
                        FROM generate_series(0, :contacts - 1) k) c
) b;
COMMIT;
ANALYZE registrations;
SELECT count(*) AS live_bindings, count(DISTINCT user_id) AS users, count(DISTINCT source_port) AS flow_ports
FROM registrations r JOIN users u ON u.id = r.user_id JOIN domains d ON d.id = u.domain_id
WHERE d.name = 'keepalive.test' AND r.expires_at > now();
