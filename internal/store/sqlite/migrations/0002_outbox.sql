-- The outbox: Slack messages kept until Slack accepts them (internal/notify delivers them).
-- A message is enqueued once per key, claimed under a lease by one deliverer at a time and
-- retried at next_attempt until delivered. Times are INTEGER microseconds since the Unix epoch.

CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    key          TEXT NOT NULL UNIQUE,
    text         TEXT NOT NULL DEFAULT '',
    blocks       TEXT,
    created      INTEGER NOT NULL,
    next_attempt INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    lease        TEXT NOT NULL DEFAULT '',
    lease_until  INTEGER,
    last_error   TEXT NOT NULL DEFAULT '',
    delivered    INTEGER,
    receipt      TEXT NOT NULL DEFAULT ''
);
-- What ClaimOutbox scans: the undelivered messages, by when they are due.
CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE delivered IS NULL;
