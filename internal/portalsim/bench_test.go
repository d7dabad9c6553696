package portalsim

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// BenchmarkItemAPI10k times queryImplements.do over HTTP with 10,000 synthetic items added.
func BenchmarkItemAPI10k(b *testing.B) {
	_, ts := newTestServer(b, Config{Items: 10000})
	form := url.Values{"ssqdZoneCode": {"341500000000"}, "currentPageNo": {"37"}, "pageSize": {"20"}, "serviceObject": {"P"}}.Encode()
	c := &http.Client{}
	for b.Loop() {
		resp, err := c.Post(ts.URL+"/bog-bsdt/implement/queryImplements.do", "application/x-www-form-urlencoded", strings.NewReader(form))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkGuidePage10k times a guide page over HTTP with 10,000 synthetic items added.
func BenchmarkGuidePage10k(b *testing.B) {
	s, ts := newTestServer(b, Config{Items: 10000})
	items := s.Catalog().Items()
	c := &http.Client{}
	i := 0
	for b.Loop() {
		it := items[(i*7919)%len(items)]
		i++
		resp, err := c.Get(guideURL(ts.URL, it, H5))
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}
