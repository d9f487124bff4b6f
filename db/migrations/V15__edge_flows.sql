-- Edge agents' connections (issue 17): the phones behind an edge agent register over the agent's
-- connection to the proxy, and their bindings name that connection (its source address and port).
-- After a proxy restart the agent logs in again over a new connection; this table says which agent
-- each earlier connection belonged to, so requests to its phones follow the agent's new connection
-- at once instead of waiting for every phone to register again. A row is kept for a day after its
-- agent last registered over it (longer than any binding made over it can live).
CREATE TABLE edge_flows (
    address         text        NOT NULL CHECK (length(address) <= 64),
    port            integer     NOT NULL CHECK (port BETWEEN 0 AND 65535),
    transport       text        NOT NULL CHECK (length(transport) <= 8),
    agent_id        text        NOT NULL CHECK (length(agent_id) <= 64),
    last_registered timestamptz NOT NULL,
    PRIMARY KEY (address, port, transport)
);
