-- Issue 16: each leg's media path as the path planner planned it and as it was carried out
-- (they differ while TCP/HTTP media and hole punching are not served: the plan falls back to
-- what exists), and why, in words. Nullable: older rows, and the callee's columns of a call
-- that forked to several phones none of which answered. media_path keeps its meaning (whether
-- the call had a relay of ours).
ALTER TABLE calls
    ADD COLUMN caller_path_planned text CHECK (caller_path_planned IS NULL OR caller_path_planned IN
                                    ('DIRECT', 'PUNCH', 'RELAY_UDP', 'RELAY_TCP', 'RELAY_HTTP')),
    ADD COLUMN caller_path         text CHECK (caller_path IS NULL OR caller_path IN
                                    ('DIRECT', 'PUNCH', 'RELAY_UDP', 'RELAY_TCP', 'RELAY_HTTP')),
    ADD COLUMN callee_path_planned text CHECK (callee_path_planned IS NULL OR callee_path_planned IN
                                    ('DIRECT', 'PUNCH', 'RELAY_UDP', 'RELAY_TCP', 'RELAY_HTTP')),
    ADD COLUMN callee_path         text CHECK (callee_path IS NULL OR callee_path IN
                                    ('DIRECT', 'PUNCH', 'RELAY_UDP', 'RELAY_TCP', 'RELAY_HTTP')),
    ADD COLUMN path_reason         text;
