-- Probe outcomes per item and channel, for the weekly availability rule.
CREATE TABLE probe_outcomes (
	run_id    TEXT NOT NULL,
	item_code TEXT NOT NULL,
	channel   TEXT NOT NULL,
	at        INTEGER NOT NULL, -- unix microseconds
	ok        INTEGER NOT NULL
);
CREATE INDEX probe_outcomes_item ON probe_outcomes (item_code, channel, at);
