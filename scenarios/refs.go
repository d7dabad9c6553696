package scenarios

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Refs are the things scenarios name that are defined elsewhere.
type Refs struct {
	// Sites are the loaded site profiles by name.
	Sites map[string]*Site
	// Probes are the names of the registered probes; nil skips checking them.
	Probes []string
}

// CheckRefs checks what scenarios name against what exists: the site profile, the channels and
// sign-in it supports, its entry page, and the probes that check steps run. It returns an *Error
// listing every problem, at the line:col where the name is written.
func CheckRefs(scs []*Scenario, refs Refs) error {
	var probs []Problem
	add := func(s *Scenario, p Pos, format string, args ...any) {
		probs = append(probs, Problem{File: s.File, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)})
	}
	names := slices.Sorted(maps.Keys(refs.Sites))
	for _, s := range scs {
		site := refs.Sites[s.Site]
		if site == nil {
			add(s, s.pos["site"], "site: found %q, expected one of the site profiles: %s%s", s.Site, strings.Join(names, ", "), suggest(s.Site, names))
		} else {
			for _, c := range s.Channels {
				if !slices.Contains(site.Channels(), c) {
					add(s, s.pos["channels"], "channels: found %s, but site %s has no %s section; expected only %s", c, site.Name, c, joinChannels(site.Channels()))
				}
			}
			if s.Signin && site.Signin == nil {
				add(s, s.pos["signin"], "signin: found true, but site %s has no signin section; expected false", site.Name)
			}
		}
		for _, st := range s.Steps {
			switch {
			case st.Kind == KindOpen && st.Page == PageEntry && site != nil && site.Entry == "":
				add(s, st.Pos, "open: found entry, but site %s has no entry page; expected item or a /path", site.Name)
			case st.Kind == KindCheck && refs.Probes != nil:
				for _, p := range st.Probes {
					if !slices.Contains(refs.Probes, p) {
						add(s, st.Pos, "check: unknown probe %q, expected one of %s%s", p, strings.Join(refs.Probes, ", "), suggest(p, refs.Probes))
					}
				}
			}
		}
	}
	return errorOf(probs)
}

func joinChannels(cs []Channel) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ", ")
}
