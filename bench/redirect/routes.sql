-- The one route both servers answer in the benchmark.
DELETE FROM routes;
INSERT INTO routes (match_domain, target_uri, priority, weight, expires_seconds)
VALUES ('b.example', 'sip:proxy-b.example:5060', 1.0, 1, 3600);
