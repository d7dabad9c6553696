package loop

import (
	"context"
	"strings"

	"tiyan/internal/finding"
)

// Report is a manual report (人工报告) by an experience officer or from a survey: a problem, or
// a praise (好经验) that never enters the loop.
type Report struct {
	Praise   bool
	Source   finding.Source // officer (the default) or survey
	Title    string
	Detail   string
	Category finding.Category
	Severity finding.Severity // for a praise, advice when empty
	ItemCode string
	ItemName string
	UnitID   int64
	// Jurisdiction defaults to the unit's.
	Jurisdiction string
	Channel      finding.Channel // pc, h5, offline, or "" when it does not apply
	URL          string
	OfficerID    int64
	ActivityID   int64
	Photos       []finding.Evidence
	// Actor is who files it; the officer's name when empty.
	Actor string
}

// Report files a manual report: a new finding in status found with a found event.
func (l *Loop) Report(ctx context.Context, r Report) (finding.Finding, error) {
	f, err := l.reportFinding(ctx, r)
	if err != nil {
		return f, err
	}
	if r.Actor == "" {
		r.Actor = f.Officer
	}
	if err := requireActor(r.Actor); err != nil {
		return f, err
	}
	note := "人工报告：" + f.Source.Label()
	if r.Praise {
		note = "好经验：" + f.Source.Label() + "（不进入整改闭环）"
	}
	first := finding.Event{Action: finding.ActFound, To: finding.Found, Actor: r.Actor, At: f.FirstSeen, Note: note}
	out, err := l.store.CreateFinding(ctx, f, first, l.stamp(r.Photos, finding.EvidencePhoto))
	out.Overdue = out.OverdueAt(l.now())
	return out, err
}

// reportFinding checks a report and turns it into a finding, looking up its unit, officer and
// activity.
func (l *Loop) reportFinding(ctx context.Context, r Report) (finding.Finding, error) {
	now := l.now()
	f := finding.Finding{
		Kind: finding.Problem, Status: finding.Found, Source: r.Source, Category: r.Category, Severity: r.Severity,
		Title: strings.TrimSpace(r.Title), Detail: r.Detail, ItemCode: r.ItemCode, ItemName: r.ItemName,
		Channel: r.Channel, Jurisdiction: r.Jurisdiction, URL: r.URL, UnitID: r.UnitID,
		OfficerID: r.OfficerID, ActivityID: r.ActivityID, Occurrences: 1, FirstSeen: now, LastSeen: now,
	}
	if r.Praise {
		f.Kind = finding.Praise
		if f.Severity == "" {
			f.Severity = finding.Advice
		}
	}
	if f.Source == "" {
		f.Source = finding.SourceOfficer
	}
	if err := checkReport(f); err != nil {
		return f, err
	}
	return f, l.resolveReport(ctx, &f)
}

func checkReport(f finding.Finding) error {
	switch {
	case f.Title == "":
		return finding.Errorf(finding.EINVALID, "请写明问题标题（--title）")
	case f.Source != finding.SourceOfficer && f.Source != finding.SourceSurvey:
		return finding.Errorf(finding.EINVALID, "人工报告的来源只能是体验官（officer）或民意调查（survey），收到 %q", f.Source)
	case !f.Category.Valid():
		_, err := finding.ParseCategory(string(f.Category))
		return err
	case !f.Severity.Valid():
		_, err := finding.ParseSeverity(string(f.Severity))
		return err
	case f.Channel != "" && !f.Channel.Valid():
		_, err := finding.ParseChannel(string(f.Channel))
		return err
	case f.Jurisdiction != "" && !finding.ValidZone(f.Jurisdiction):
		return finding.Errorf(finding.EINVALID, "行政区划代码 %q 应为 6 位或 12 位数字", f.Jurisdiction)
	}
	for _, c := range []struct {
		what, s string
		max     int
	}{{"标题", f.Title, finding.MaxTitle}, {"问题描述", f.Detail, finding.MaxDetail}, {"事项名称", f.ItemName, finding.MaxTitle},
		{"事项编码", f.ItemCode, finding.MaxName}, {"页面地址", f.URL, finding.MaxNote}} {
		if err := finding.CheckLength(c.what, c.s, c.max); err != nil {
			return err
		}
	}
	return nil
}

// resolveReport checks that the unit, officer and activity exist, and fills in their names.
func (l *Loop) resolveReport(ctx context.Context, f *finding.Finding) error {
	if f.UnitID != 0 {
		u, err := l.store.Unit(ctx, f.UnitID)
		if err != nil {
			return err
		}
		f.Unit = u.Name
		if f.Jurisdiction == "" {
			f.Jurisdiction = u.Jurisdiction
		}
	}
	if f.OfficerID != 0 {
		o, err := l.store.Officer(ctx, f.OfficerID)
		if err != nil {
			return err
		}
		if o.Status != finding.OfficerActive {
			return finding.Errorf(finding.ECONFLICT, "体验官 %s（#%d）已解聘，不能再以其名义报告", o.Name, o.ID)
		}
		f.Officer = o.Name
	}
	if f.ActivityID != 0 {
		if _, err := l.store.Activity(ctx, f.ActivityID); err != nil {
			return err
		}
	}
	return nil
}
