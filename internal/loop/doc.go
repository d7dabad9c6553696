// Package loop is the rectification workflow (整改闭环) every finding goes through:
//
//	found 发现问题 ──feedback──> fed_back 已反馈 ──handle──> handled 已处理 ──evaluate/verify──> verified 已整改
//	   └──dismiss──> dismissed 不予采纳       ^                                  │
//	                                          └──────── reopened 未整改 <────────┘
//
// Probes and scenario runs feed sightings in through Ingest, which deduplicates them by
// fingerprint and opens a new finding linked to the old one when a verified defect comes back
// (回潮). Officers and survey takers file manual reports through Report. Every move is checked
// against the current status and refused with a Chinese message that names the status and the
// moves it allows; a refused move changes nothing. Deadlines count working days on the Chinese
// holiday calendar (Calendar); overdue is derived from the deadline and the injected clock,
// never stored.
//
// Automated findings are verified by replaying what found them (Verify with a Reprober); manual
// ones are evaluated by an officer or staff member (Evaluate).
//
//	l, err := loop.New(loop.Config{Store: st})
//	outcomes, err := l.Ingest(ctx, sightings)
//	f, err := l.Feedback(ctx, id, loop.Feedback{UnitID: u.ID, Actor: "王芳"})
package loop
