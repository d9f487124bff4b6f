-- What the capability probe of each registration found (seed 004's probe; issue 16):
-- whether the phone sends UDP, its NAT's mapping and filtering behaviour in RFC 4787 terms,
-- whether unsolicited UDP from another port of ours reached it, how it was found and when.
ALTER TABLE registrations
    ADD COLUMN sends_udp         boolean,
    ADD COLUMN nat_mapping       text CHECK (nat_mapping IN ('NONE', 'ENDPOINT_INDEPENDENT', 'UNKNOWN')),
    ADD COLUMN nat_filtering     text CHECK (nat_filtering IN ('NONE', 'PORT_INDEPENDENT', 'ADDRESS_AND_PORT_DEPENDENT', 'UNKNOWN')),
    ADD COLUMN unsolicited_udp   boolean,
    ADD COLUMN capability_reason text,
    ADD COLUMN probed_at         timestamptz;
