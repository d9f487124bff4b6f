-- Edge agents' login tokens (issue 17: "a credential of its own (digest or a token from the admin
-- API)"). The admin API makes a token for an edge agent and shows it once; only its SHA-256 is
-- kept, so the table never holds a token that would log in. A token logs in as one user of the
-- directory (its address of record; the agent registers as that user) and for nothing else: it
-- answers no digest challenge, so it cannot place calls. Revoking keeps the row (when, and that
-- the name was used) and frees the name for a new token; proxies stop taking the token at once
-- (the revoking proxy) or at their next reload of this table.
CREATE TABLE edge_agent_tokens (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 64 AND name ~ '^[A-Za-z0-9._-]+$'),
    user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_sha256 text        NOT NULL UNIQUE CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);
-- one live token per name; revoked ones keep theirs
CREATE UNIQUE INDEX edge_agent_tokens_live_name ON edge_agent_tokens (name) WHERE revoked_at IS NULL;
