package probes

import "time"

// Thresholds are the rule limits. The zero value of a field means the default of RULES.md; use
// WithDefaults before reading them.
type Thresholds struct {
	Unreachable    time.Duration `yaml:"unreachable"`      // a page not loaded in this long is unreachable (15 s)
	Slow           time.Duration `yaml:"slow"`             // a load longer than this is slow (5 s)
	OverflowPx     float64       `yaml:"overflow_px"`      // horizontal overflow tolerated (2 px)
	OverlapShare   float64       `yaml:"overlap_share"`    // overlap share of the smaller box (0.2)
	TextPC         float64       `yaml:"text_pc"`          // smallest body text on PC (12 px)
	TextH5         float64       `yaml:"text_h5"`          // smallest body text on H5 (14 px)
	ElderText      float64       `yaml:"elder_text"`       // text size an elder mode must reach (18 px)
	TapTarget      float64       `yaml:"tap_target"`       // smallest H5 control side (44 px)
	LayoutShift    float64       `yaml:"layout_shift"`     // cumulative layout shift allowed (0.1)
	ShiftWatch     time.Duration `yaml:"shift_watch"`      // how long after navigation shifts are watched (1.5 s)
	AxeBudget      time.Duration `yaml:"axe_budget"`       // time axe-core may take on one page (5 s)
	CertExpiryDays int           `yaml:"cert_expiry_days"` // a certificate expiring sooner is reported (14)
	// The weekly availability: over the last AvailabilityWindow (7 days), an item-channel with at
	// least AvailabilityProbes probes (20, as 国办 19号 counts daily visits) fails when the share of
	// failed probes reaches AvailabilityShare (0.05).
	AvailabilityWindow time.Duration `yaml:"availability_window"`
	AvailabilityProbes int           `yaml:"availability_probes"`
	AvailabilityShare  float64       `yaml:"availability_share"`
}

// WithDefaults fills the zero fields with the defaults of RULES.md.
func (t Thresholds) WithDefaults() Thresholds {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	dur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	dur(&t.Unreachable, 15*time.Second)
	dur(&t.Slow, 5*time.Second)
	def(&t.OverflowPx, 2)
	def(&t.OverlapShare, 0.2)
	def(&t.TextPC, 12)
	def(&t.TextH5, 14)
	def(&t.ElderText, 18)
	def(&t.TapTarget, 44)
	def(&t.LayoutShift, 0.1)
	dur(&t.ShiftWatch, 1500*time.Millisecond)
	dur(&t.AxeBudget, 5*time.Second)
	if t.CertExpiryDays == 0 {
		t.CertExpiryDays = 14
	}
	dur(&t.AvailabilityWindow, 7*24*time.Hour)
	if t.AvailabilityProbes == 0 {
		t.AvailabilityProbes = 20
	}
	def(&t.AvailabilityShare, 0.05)
	return t
}
