package scenarios

import "time"

// Defaults, applied to what a file leaves out by applyDefaults here and nowhere else.
const (
	DefaultStepTimeout = 15 * time.Second // a step's timeout, capped by the run's
	DefaultRunTimeout  = 3 * time.Minute  // a scenario run's timeout
	DefaultMaxInFlight = 2                // pages in flight per host
	DefaultPause       = time.Second      // pause between page loads on one host
	DefaultPageSize    = 20               // catalogue page size
	DefaultMethod      = "POST"           // catalogue request method
	DefaultMaterialRow = "tbody tr"       // CSS of a row in the materials table
	DefaultUploadInput = `input[type="file"]`
)

// DefaultChannels are the channels of a scenario that names none.
func DefaultChannels() []Channel { return []Channel{PC, H5} }

func (s *Scenario) applyDefaults() {
	if s.Timeout == 0 {
		s.Timeout = DefaultRunTimeout
	}
	if s.Channels == nil {
		s.Channels = DefaultChannels()
	}
	step := min(DefaultStepTimeout, s.Timeout)
	for i := range s.Steps {
		if s.Steps[i].Timeout == 0 {
			s.Steps[i].Timeout = step
		}
	}
}

func (s *Site) applyDefaults() {
	c := &s.Catalogue
	if c.Method == "" {
		c.Method = DefaultMethod
	}
	if c.PageSize == 0 {
		c.PageSize = DefaultPageSize
	}
	for _, g := range []*ChannelGuide{&s.Guide.PC, s.Guide.H5} {
		if g != nil && g.Materials.Row == "" {
			g.Materials.Row = DefaultMaterialRow
		}
	}
	if s.Form.Slots != "" && s.Form.Input == "" {
		s.Form.Input = DefaultUploadInput
	}
	if s.Politeness.MaxInFlight == 0 {
		s.Politeness.MaxInFlight = DefaultMaxInFlight
	}
	if s.Politeness.Pause == 0 {
		s.Politeness.Pause = DefaultPause
	}
}
