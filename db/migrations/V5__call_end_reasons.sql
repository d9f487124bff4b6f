-- Calls the proxy itself hangs up (issue 15): the CDR says why, so an operator can tell a call
-- whose media died at the relay, or whose session was never refreshed (RFC 4028), from one the
-- phones ended. V1's inline CHECK got PostgreSQL's default name calls_outcome_check.
ALTER TABLE calls DROP CONSTRAINT calls_outcome_check;
ALTER TABLE calls ADD CONSTRAINT calls_outcome_check CHECK (outcome IS NULL OR outcome IN
    ('answered', 'busy', 'no-answer', 'cancelled', 'rejected', 'failed', 'media-timeout', 'session-expired'));
