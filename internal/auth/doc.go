// Package auth is who may do what in tiyan's web UI and API: password hashing (bcrypt), the
// random secrets of sessions and API tokens (only their SHA-256 is stored), and the access
// policy of the four roles.
//
// The policy is one table (Allows) of what each role may do at all, and one rule (Visible) of
// which findings each role may see: an admin everything, staff their jurisdiction and the zones
// below it, a window unit the findings fed back to it, an officer their own reports. Check
// combines the two for one finding, and Narrow writes the rule into a finding.Query, so that
// lists and counts are narrowed in the database, never after.
//
//	if err := auth.Check(user, auth.Feedback, f); err != nil { … } // a *finding.Error in Chinese
//	q, ok := auth.Narrow(user, finding.Query{FindingFilter: filter})
package auth
