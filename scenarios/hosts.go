package scenarios

import (
	"errors"
	"net"
	"net/netip"
	"regexp"
	"strings"
)

// hostRule is one entry of allowed_hosts: an exact host, or with wildcard set, any host below
// suffix (*.ahzwfw.gov.cn allows www.ahzwfw.gov.cn and a.b.ahzwfw.gov.cn, not ahzwfw.gov.cn).
type hostRule struct {
	host     string
	wildcard bool
}

func (r hostRule) match(host string) bool {
	if r.wildcard {
		return strings.HasSuffix(host, "."+r.host)
	}
	return host == r.host
}

var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// parseHostRule reads an allowed_hosts pattern: a host name, *. followed by a host name, or an IP
// address (in brackets or not). Addresses that are not public need allowPrivate.
func parseHostRule(p string, allowPrivate bool) (hostRule, error) {
	h := strings.ToLower(strings.TrimSpace(p))
	r := hostRule{}
	if rest, ok := strings.CutPrefix(h, "*."); ok {
		r.wildcard, h = true, rest
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	if addr, err := netip.ParseAddr(h); err == nil {
		if r.wildcard {
			return r, errors.New("a wildcard before a host name, not before an IP address")
		}
		r.host = addr.Unmap().String()
	} else {
		if !isHostName(h) {
			return r, errors.New("a host name such as www.ahzwfw.gov.cn or *.ahzwfw.gov.cn, without scheme, port or path")
		}
		r.host = h
	}
	if why := restricted(r.host); why != "" && !allowPrivate {
		return r, errors.New("a public host: " + why + " addresses are refused (AllowPrivate permits them, never for production)")
	}
	return r, nil
}

// isHostName reports whether h is a DNS name of two or more labels whose last label is not
// numeric (browsers read 2130706433 or 127.1 as IPv4 addresses).
func isHostName(h string) bool {
	labels := strings.Split(h, ".")
	if len(labels) < 2 && h != "localhost" {
		return false
	}
	for _, l := range labels {
		if !hostLabel.MatchString(l) {
			return false
		}
	}
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != "" && !strings.HasPrefix(last, "0x")
}

// normHost lowercases host and takes off a port, brackets and a trailing dot.
func normHost(host string) string {
	h := strings.ToLower(strings.TrimSpace(host))
	if hh, _, err := net.SplitHostPort(h); err == nil {
		h = hh
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	h = strings.TrimSuffix(h, ".")
	if addr, err := netip.ParseAddr(h); err == nil {
		return addr.Unmap().String()
	}
	return h
}

var sharedRange = netip.MustParsePrefix("100.64.0.0/10")

// restricted names the kind of a host that is not a public address: loopback, private, shared,
// link-local, unspecified or multicast; "" for a public address or an ordinary name.
func restricted(host string) string {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return "loopback"
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return ""
	}
	addr = addr.Unmap()
	switch {
	case addr.IsLoopback():
		return "loopback"
	case addr.IsPrivate():
		return "private"
	case sharedRange.Contains(addr):
		return "shared"
	case addr.IsLinkLocalUnicast(), addr.IsLinkLocalMulticast():
		return "link-local"
	case addr.IsUnspecified():
		return "unspecified"
	case addr.IsMulticast():
		return "multicast"
	}
	return ""
}

// AllowHost reports whether pages on host (a name or address, with or without a port) may be
// visited. Loopback, private and link-local addresses are refused unless the profile was loaded
// with AllowPrivate, or the host is exactly that of SiteOptions.BaseURL. It judges the name as
// written: the browser layer must also refuse names that resolve to such addresses.
func (s *Site) AllowHost(host string) bool {
	h := normHost(host)
	if h == "" {
		return false
	}
	if s.testHost != "" && h == s.testHost {
		return true
	}
	if restricted(h) != "" && !s.allowPrivate {
		return false
	}
	return s.matchHost(h)
}

func (s *Site) matchHost(host string) bool {
	h := normHost(host)
	for _, r := range s.hosts {
		if r.match(h) {
			return true
		}
	}
	return false
}
