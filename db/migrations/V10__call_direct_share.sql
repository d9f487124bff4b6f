-- Issue 16, hole punching: how much of each call's media went direct, as the share (0 to 1) of
-- the time between answer and end that the phones sent to each other rather than through the
-- relay. 1 for an answered call without a relay, 0 for a relayed call never (or not successfully)
-- punched; NULL for calls never answered and for rows older than this column.
ALTER TABLE calls
    ADD COLUMN direct_share real CHECK (direct_share IS NULL OR (direct_share >= 0 AND direct_share <= 1));
