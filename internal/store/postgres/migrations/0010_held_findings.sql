-- Findings of a queued sweep kept back until its end, where those many items share become one
-- site or template finding (finding.SweepLedger.HoldFindings): one row per probed
-- item-channel, even with no findings, so that its usable guide page counts.
CREATE TABLE tiyan_sweep_held (
	run_id    text    NOT NULL,
	item_code text    NOT NULL,
	channel   text    NOT NULL,
	usable    integer NOT NULL,
	findings  text    NOT NULL,
	PRIMARY KEY (run_id, item_code, channel)
);
