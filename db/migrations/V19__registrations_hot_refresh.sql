-- A refresh (a phone re-registering the same contact) rewrites its row's expires_at. With an index
-- on expires_at no such update could be HOT: each wrote a new entry into all three of the table's
-- indexes and its WAL (bench/register: 2,000 REGISTERs/s, every one a non-HOT update). Without it,
-- a refresh that finds room on its page touches no index at all (HOT). The index served only the
-- purge (every purge-interval, 10 s by default) and the start-up load, which reads most rows
-- anyway: both now scan the bindings sequentially.
DROP INDEX registrations_expires_at;

-- Room on each page for the new version of its rows, so that refreshes stay on their page (HOT).
ALTER TABLE registrations SET (fillfactor = 80);
