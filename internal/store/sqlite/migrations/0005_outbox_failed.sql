-- A message Slack refuses for good (an unknown channel, a bot not in it, a revoked token) is
-- given up after a bounded number of attempts: failed says when (unix microseconds), last_error
-- why. Delivered and failed messages are pruned after a while by the process that delivers.

ALTER TABLE outbox ADD COLUMN failed INTEGER;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt, id) WHERE delivered IS NULL AND failed IS NULL;
-- What PruneOutbox deletes.
CREATE INDEX outbox_delivered ON outbox (delivered) WHERE delivered IS NOT NULL;
CREATE INDEX outbox_failed ON outbox (failed) WHERE failed IS NOT NULL;
