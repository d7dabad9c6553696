package sweep

import (
	"fmt"
	"slices"
	"strings"

	"tiyan/probes"
)

// Expectation is a defect known to be on an item and channel, and the rules it should raise: the
// simulator's ground truth (/_sim/defects.json). A site or template defect has no item (Scope
// says which, Items lists the items it shows on): one finding with no item meets it.
type Expectation struct {
	ItemCode    string   `json:"item_code"`
	Channel     string   `json:"channel"`
	Defect      string   `json:"defect"`
	ExpectRules []string `json:"expect_rules"`
	Scope       string   `json:"scope,omitempty"`
	Items       []string `json:"items,omitempty"`
}

// Score is detection quality against ground truth: a finding is right when its item, channel and
// rule match an expectation; an expectation (one rule of one defect) is met when a finding
// matches it.
type Score struct {
	Findings, Right   int
	Expected, Met     int
	Wrong             []Finding     // findings that match nothing
	Missed            []Expectation // expectations no finding met, one rule each
	ByCategory        map[probes.Category]*CategoryScore
	Precision, Recall float64
}

// CategoryScore is the score of one rule category.
type CategoryScore struct {
	Findings, Right, Expected, Met int
	Precision, Recall              float64
}

func (c *CategoryScore) finish() {
	c.Precision, c.Recall = ratio(c.Right, c.Findings), ratio(c.Met, c.Expected)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Grade scores findings against expectations.
func Grade(findings []Finding, expected []Expectation) *Score {
	s := &Score{ByCategory: map[probes.Category]*CategoryScore{}}
	cat := func(rule string) *CategoryScore {
		r, _ := probes.RuleByID(rule)
		c := s.ByCategory[r.Category]
		if c == nil {
			c = &CategoryScore{}
			s.ByCategory[r.Category] = c
		}
		return c
	}
	want := map[string]bool{}
	got := map[string]bool{}
	for _, e := range expected {
		for _, r := range e.ExpectRules {
			want[e.ItemCode+"/"+e.Channel+"/"+r] = true
		}
	}
	for _, f := range findings {
		k := f.ItemCode + "/" + string(f.Channel) + "/" + f.Rule
		got[k] = true
		s.Findings++
		cat(f.Rule).Findings++
		if want[k] {
			s.Right++
			cat(f.Rule).Right++
		} else {
			s.Wrong = append(s.Wrong, f)
		}
	}
	for _, e := range expected {
		for _, r := range e.ExpectRules {
			s.Expected++
			cat(r).Expected++
			if got[e.ItemCode+"/"+e.Channel+"/"+r] {
				s.Met++
				cat(r).Met++
			} else {
				s.Missed = append(s.Missed, Expectation{ItemCode: e.ItemCode, Channel: e.Channel, Defect: e.Defect, ExpectRules: []string{r}})
			}
		}
	}
	for _, c := range s.ByCategory {
		c.finish()
	}
	s.Precision, s.Recall = ratio(s.Right, s.Findings), ratio(s.Met, s.Expected)
	return s
}

// String is a short report of the score, with what went wrong.
func (s *Score) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "precision %.3f (%d/%d), recall %.3f (%d/%d)\n", s.Precision, s.Right, s.Findings, s.Recall, s.Met, s.Expected)
	cats := make([]string, 0, len(s.ByCategory))
	for c := range s.ByCategory {
		cats = append(cats, string(c))
	}
	slices.Sort(cats)
	for _, c := range cats {
		cs := s.ByCategory[probes.Category(c)]
		fmt.Fprintf(&b, "  %-8s precision %.3f (%d/%d), recall %.3f (%d/%d)\n", c, cs.Precision, cs.Right, cs.Findings, cs.Recall, cs.Met, cs.Expected)
	}
	for _, f := range s.Wrong {
		fmt.Fprintf(&b, "  wrong:  %s %s %s (%s)\n", f.ItemCode, f.Channel, f.Rule, f.Title)
	}
	for _, e := range s.Missed {
		fmt.Fprintf(&b, "  missed: %s %s %s (defect %s)\n", e.ItemCode, e.Channel, e.ExpectRules[0], e.Defect)
	}
	return b.String()
}
