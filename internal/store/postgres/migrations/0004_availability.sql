-- Probe outcomes per item and channel, for the weekly availability rule.
CREATE TABLE probe_outcomes (
	run_id    text NOT NULL,
	item_code text NOT NULL,
	channel   text NOT NULL,
	at        timestamptz NOT NULL,
	ok        boolean NOT NULL
);
CREATE INDEX probe_outcomes_item ON probe_outcomes (item_code, channel, at);
