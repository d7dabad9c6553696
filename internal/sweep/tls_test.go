package sweep

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"tiyan/scenarios"
)

// TestSweepChecksTheCertificate: a sweep of an https site whose certificate is not trusted files
// one CHANNEL-TLS blocker for the site before any item.
func TestSweepChecksTheCertificate(t *testing.T) {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	defer ts.Close()
	site, err := scenarios.LoadSite("../../scenarios/sites/wanshitong.yaml", scenarios.SiteOptions{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	sw, err := New(Config{Site: site})
	if err != nil {
		t.Fatal(err)
	}
	defer sw.Close()
	fs := sw.checkTLS(context.Background())
	if len(fs) != 1 || fs[0].Rule != "CHANNEL-TLS" || fs[0].Severity != "blocker" || fs[0].ItemCode != "" {
		t.Fatalf("findings %+v, want one CHANNEL-TLS blocker for the site", fs)
	}
	sw.cfg.TLS = ts.Client().Transport.(*http.Transport).TLSClientConfig
	if fs := sw.checkTLS(context.Background()); len(fs) != 0 {
		t.Errorf("a trusted certificate valid for years: %+v", fs)
	}
}
