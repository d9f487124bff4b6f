-- Issue 17: an edge agent whose firewall lets UDP out but not in sends its phones' media up over
-- UDP and has it brought down over a relay stream (TCP, TLS or HTTP). Its leg's
-- *_media_transport says so, e.g. 'udp-up/tls-down', rather than 'tls': no media of that leg went
-- up over TLS. A leg carried both ways by one transport keeps its one word.
ALTER TABLE calls
    DROP CONSTRAINT calls_caller_media_transport_check,
    DROP CONSTRAINT calls_callee_media_transport_check,
    ADD CONSTRAINT calls_caller_media_transport_check CHECK (caller_media_transport IS NULL OR caller_media_transport IN
        ('udp', 'tcp', 'tls', 'http', 'udp-up/tcp-down', 'udp-up/tls-down', 'udp-up/http-down')),
    ADD CONSTRAINT calls_callee_media_transport_check CHECK (callee_media_transport IS NULL OR callee_media_transport IN
        ('udp', 'tcp', 'tls', 'http', 'udp-up/tcp-down', 'udp-up/tls-down', 'udp-up/http-down'));
