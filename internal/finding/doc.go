// Package finding holds tiyan's domain: findings and their append-only events, the evidence
// attached to them, the sightings that probes and scenario runs feed in, window units and
// jurisdictions, experience officers (体验官) and their activities, and sweep runs. It also
// declares the Store interface that internal/store/sqlite and internal/store/postgres implement,
// and Error, whose Message is the Chinese sentence shown to people.
//
// The package imports no database driver; the rectification workflow that moves findings
// through 发现问题 → 反馈问题 → 处理问题 → 评价结果 lives in internal/loop.
package finding
