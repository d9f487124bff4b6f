-- Issue 17: the transport that actually carried each leg's media between its network and the
-- relay (or the other phone): udp, or one of the relay's stream connections, tcp, tls (both
-- RELAY_TCP in the path columns) and http (RELAY_HTTP). A leg behind an edge agent asks for
-- one with its Pinhole-Edge header. Nullable like the path columns: older rows, and the
-- callee's column of a call forked to several phones none of which answered.
ALTER TABLE calls
    ADD COLUMN caller_media_transport text CHECK (caller_media_transport IS NULL OR caller_media_transport IN
                                        ('udp', 'tcp', 'tls', 'http')),
    ADD COLUMN callee_media_transport text CHECK (callee_media_transport IS NULL OR callee_media_transport IN
                                        ('udp', 'tcp', 'tls', 'http'));
