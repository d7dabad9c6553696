package sweep

import "slices"

// anyOther stands for every rule but the cause's own in a precedence entry.
const anyOther = "*"

// precedence says which findings are consequences of another on the same item-channel: a
// defect that causes others is filed once, under its most specific rule (RULES.md, "Scope of a
// finding"). Entries are applied in order; a finding hidden by an earlier entry hides nothing.
var precedence = []struct {
	// Cause is the rule of the finding that explains the others.
	Cause string
	// OnPage: the cause counts only when it concerns the guide page itself (its URL is the
	// page's), not a page reached from it, such as the entrance's form.
	OnPage bool
	// Hides are the rules of its consequences; anyOther hides everything else.
	Hides []string
}{
	// A page that cannot be used as a guide: whatever else was measured on it is noise.
	{"CHANNEL-UNREACHABLE", true, []string{anyOther}},
	{"CHANNEL-HTTP-ERROR", true, []string{anyOther}},
	{"CHANNEL-ERROR-PAGE", true, []string{anyOther}},
	{"CHANNEL-PARITY", true, []string{anyOther}},
	// A dead or missing entrance: its HTTP status, the sign-in and form behind it, and the
	// guide's online promise follow from it.
	{"CHANNEL-ENTRANCE-BROKEN", false, []string{"CHANNEL-HTTP-ERROR", "CHANNEL-SIGNIN-BROKEN", "GUIDE-ONLINE-CLAIM", "GUIDE-MATERIAL-MISMATCH"}},
	// A sign-in that never returns: the form behind it could not be read.
	{"CHANNEL-SIGNIN-BROKEN", false, []string{"GUIDE-ONLINE-CLAIM", "GUIDE-MATERIAL-MISMATCH"}},
}

// keepMostSpecific drops the findings of one item-channel (on the guide page pageURL) that
// follow from another finding there, by the precedence table.
func keepMostSpecific(fs []Finding, pageURL string) []Finding {
	hidden := make([]bool, len(fs))
	for _, p := range precedence {
		for i, cause := range fs {
			if hidden[i] || cause.Rule != p.Cause || (p.OnPage && cause.URL != pageURL) {
				continue
			}
			for j, f := range fs {
				if j != i && !hidden[j] && hides(p.Hides, cause.Rule, f.Rule) {
					hidden[j] = true
				}
			}
		}
	}
	out := fs[:0:0]
	for i, f := range fs {
		if !hidden[i] {
			out = append(out, f)
		}
	}
	return out
}

func hides(list []string, cause, rule string) bool {
	if slices.Contains(list, anyOther) {
		return rule != cause
	}
	return slices.Contains(list, rule)
}
