-- The directory every Pinhole service shares. Constraints live here, not only in code:
-- a second proxy or a hand-written SQL statement must not be able to break them.

CREATE TABLE domains (
    id          bigserial PRIMARY KEY,
    name        text        NOT NULL UNIQUE
                CHECK (length(name) BETWEEN 1 AND 253 AND name ~ '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$'),
    enabled     boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Subscribers. Only HA1 digests are stored (RFC 3261 MD5 and RFC 8760 SHA-256, both over
-- "username:realm:password" with the domain as realm); the plain password is never kept.
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    domain_id     bigint      NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
    username      text        NOT NULL
                  CHECK (length(username) BETWEEN 1 AND 128 AND username ~ '^[A-Za-z0-9._~+-]+$'),
    display_name  text        CHECK (display_name IS NULL OR length(display_name) <= 128),
    ha1_md5       text        NOT NULL CHECK (ha1_md5 ~ '^[0-9a-f]{32}$'),
    ha1_sha256    text        NOT NULL CHECK (ha1_sha256 ~ '^[0-9a-f]{64}$'),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (domain_id, username)
);

-- Registrar bindings. The source address/port/transport is the flow the REGISTER came on
-- (RFC 3581 received/rport, RFC 5626 outbound): that is how a phone behind NAT is reached.
CREATE TABLE registrations (
    id              bigserial PRIMARY KEY,
    user_id         bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    binding_key     text        NOT NULL CHECK (length(binding_key) BETWEEN 1 AND 1024),
    contact_uri     text        NOT NULL CHECK (length(contact_uri) BETWEEN 1 AND 1024),
    call_id         text        NOT NULL CHECK (length(call_id) BETWEEN 1 AND 512),
    cseq            bigint      NOT NULL CHECK (cseq >= 0),
    q               real        CHECK (q IS NULL OR (q >= 0 AND q <= 1)),
    expires_seconds integer     NOT NULL CHECK (expires_seconds >= 0),
    expires_at      timestamptz NOT NULL,
    source_address  inet        NOT NULL,
    source_port     integer     NOT NULL CHECK (source_port BETWEEN 1 AND 65535),
    transport       text        NOT NULL CHECK (transport IN ('UDP', 'TCP', 'TLS', 'WS', 'WSS')),
    instance_id     text        CHECK (instance_id IS NULL OR length(instance_id) <= 256),
    reg_id          integer     CHECK (reg_id IS NULL OR reg_id >= 0),
    user_agent      text        CHECK (user_agent IS NULL OR length(user_agent) <= 256),
    capabilities    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, binding_key)
);
CREATE INDEX registrations_expires_at ON registrations (expires_at);

-- Redirect and trunk routes: user@domain, then domain, then longest number prefix.
CREATE TABLE routes (
    id            bigserial PRIMARY KEY,
    match_user    text     CHECK (match_user IS NULL OR length(match_user) BETWEEN 1 AND 128),
    match_domain  text     CHECK (match_domain IS NULL OR length(match_domain) BETWEEN 1 AND 253),
    match_prefix  text     CHECK (match_prefix IS NULL OR match_prefix ~ '^\+?[0-9]{1,32}$'),
    target_uri    text     NOT NULL CHECK (target_uri ~ '^sips?:'),
    kind          text     NOT NULL DEFAULT 'proxy' CHECK (kind IN ('proxy', 'trunk')),
    priority      real     NOT NULL DEFAULT 1.0 CHECK (priority >= 0 AND priority <= 1),
    weight        integer  NOT NULL DEFAULT 1 CHECK (weight >= 0),
    permanent     boolean  NOT NULL DEFAULT false,
    expires_seconds integer CHECK (expires_seconds IS NULL OR expires_seconds >= 0),
    enabled       boolean  NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (match_domain IS NOT NULL OR match_prefix IS NOT NULL),
    CHECK (match_user IS NULL OR match_domain IS NOT NULL)
);

-- The relay pool the proxies choose from.
CREATE TABLE relays (
    id               bigserial PRIMARY KEY,
    name             text    NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),
    control_host     text    NOT NULL CHECK (length(control_host) BETWEEN 1 AND 253),
    control_port     integer NOT NULL CHECK (control_port BETWEEN 1 AND 65535),
    media_address    inet,
    weight           integer NOT NULL DEFAULT 1 CHECK (weight >= 0),
    enabled          boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Call detail records, written asynchronously (never on the signalling path).
CREATE TABLE calls (
    id              bigserial PRIMARY KEY,
    call_id         text        NOT NULL CHECK (length(call_id) BETWEEN 1 AND 512),
    caller          text        NOT NULL,
    callee          text        NOT NULL,
    started_at      timestamptz NOT NULL,
    answered_at     timestamptz,
    ended_at        timestamptz,
    outcome         text        CHECK (outcome IS NULL OR outcome IN
                                 ('answered', 'busy', 'no-answer', 'cancelled', 'rejected', 'failed')),
    sip_status      integer     CHECK (sip_status IS NULL OR sip_status BETWEEN 100 AND 699),
    media_path      text        CHECK (media_path IS NULL OR media_path IN
                                 ('DIRECT', 'PUNCH', 'RELAY_UDP', 'RELAY_TCP', 'RELAY_HTTP')),
    caller_behind_nat boolean,
    callee_behind_nat boolean,
    relay_id        bigint      REFERENCES relays (id) ON DELETE SET NULL,
    packets         bigint      CHECK (packets IS NULL OR packets >= 0),
    bytes           bigint      CHECK (bytes IS NULL OR bytes >= 0),
    CHECK (answered_at IS NULL OR answered_at >= started_at),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX calls_started_at ON calls (started_at);
CREATE INDEX calls_call_id ON calls (call_id);
