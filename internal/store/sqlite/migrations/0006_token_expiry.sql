-- API tokens expire (finding.Token.Expires): tokens issued before, which lasted until revoked,
-- get 90 days from this upgrade, so that no integration stops the day it is installed. A token
-- carries a note saying what it is for, shown where tokens are listed. Users keep the time of
-- their last sign-in, for the administrator's list of accounts.
UPDATE tokens SET expires = (CAST(strftime('%s', 'now') AS INTEGER) + 90 * 86400) * 1000000
    WHERE kind = 'api' AND expires IS NULL;
ALTER TABLE tokens ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_signin INTEGER; -- unix microseconds; NULL: never signed in
