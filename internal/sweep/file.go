package sweep

import (
	"encoding/json"
	"maps"

	"tiyan/internal/finding"
)

// Sighting turns a finding of a sweep into what the rectification loop ingests, with its
// evidence: the annotated screenshot, the DOM excerpt, the measured values and the request log.
func (f Finding) Sighting(runID string) finding.Sighting {
	s := finding.Sighting{
		Rule: f.Rule, Title: f.Title, Detail: f.Detail,
		Category: finding.Category(f.Category), Severity: finding.Severity(f.Severity),
		ItemCode: f.ItemCode, ItemName: f.ItemName, Unit: f.Unit, Jurisdiction: f.Zone,
		Channel: finding.Channel(f.Channel), URL: f.URL, Fingerprint: f.Fingerprint,
		Source: finding.SourceProbe, RunID: runID, Measured: f.Evidence.Measured, SeenAt: f.SeenAt,
		Scope: f.Scope.Or(), Affected: f.Affected,
	}
	if len(f.Evidence.PNG) > 0 {
		s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceScreenshot, Name: "screenshot.png", ContentType: "image/png", Data: f.Evidence.PNG})
	}
	if f.Evidence.DOM != "" {
		s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceDOM, Name: "dom.html", ContentType: "text/plain; charset=utf-8", Data: []byte(f.Evidence.DOM)})
	}
	if len(f.Evidence.Requests) > 0 {
		if data, err := json.MarshalIndent(f.Evidence.Requests, "", "  "); err == nil {
			s.Evidence = append(s.Evidence, finding.Evidence{Kind: finding.EvidenceRequests, Name: "requests.json", ContentType: "application/json", Data: data})
		}
	}
	if f.Evidence.Box != nil {
		s.Measured = maps.Clone(s.Measured)
		if s.Measured == nil {
			s.Measured = map[string]any{}
		}
		s.Measured["box"] = f.Evidence.Box
	}
	return s
}
