package probes

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// tlsServer serves https with a certificate for 127.0.0.1 valid until notAfter, and returns the
// configuration that trusts it.
func tlsServer(t *testing.T, notAfter time.Time) (*httptest.Server, *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ts.StartTLS()
	t.Cleanup(ts.Close)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return ts, &tls.Config{RootCAs: pool}
}

func TestCheckTLS(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	ts, trust := tlsServer(t, now.Add(90*24*time.Hour))
	host := strings.TrimPrefix(ts.URL, "https://")
	if obs, err := CheckTLS(ctx, host, Thresholds{}, trust, now); err != nil || obs != nil {
		t.Errorf("a valid certificate: %v, %v", obs, err)
	}
	obs, err := CheckTLS(ctx, host, Thresholds{}, nil, now)
	if err != nil || len(obs) != 1 || obs[0].Severity != Blocker {
		t.Errorf("an untrusted certificate: %+v, %v; want one blocker", obs, err)
	}
	soon, trustSoon := tlsServer(t, now.Add(5*24*time.Hour))
	obs, err = CheckTLS(ctx, strings.TrimPrefix(soon.URL, "https://"), Thresholds{}, trustSoon, now)
	if err != nil || len(obs) != 1 || obs[0].Rule != "CHANNEL-TLS" || obs[0].Severity != "" {
		t.Errorf("a certificate expiring in 5 days: %+v, %v; want one finding at the rule's severity", obs, err)
	}
	if _, err := CheckTLS(ctx, "127.0.0.1:1", Thresholds{Unreachable: time.Second}, nil, now); err == nil {
		t.Error("no server: want an error of the prober, not a finding")
	}
}

func TestUnusable(t *testing.T) {
	th := Thresholds{}.WithDefaults()
	page := func(status int, err error, text string, attempts int) *Page {
		p := &Page{Load: &Load{Status: status, Err: err}, Attempts: attempts, Thresholds: th, Channel: "h5"}
		if status != 0 {
			p.Guide = &Guide{Text: text, TextLen: len([]rune(text))}
		}
		return p
	}
	timeout := errors.New("timed out")
	long := strings.Repeat("办事指南内容。", 100)
	for _, c := range []struct {
		name string
		p    *Page
		want []string
	}{
		{"first failed load is tried again", page(0, timeout, "", 1), nil},
		{"third failed load", page(0, timeout, "", 3), []string{"CHANNEL-UNREACHABLE"}},
		{"http 500", page(500, nil, "500 Internal Server Error", 1), []string{"CHANNEL-HTTP-ERROR"}},
		{"maintenance", page(200, nil, "皖事通办 系统维护中，暂停服务，请稍后再试。", 1), []string{"CHANNEL-ERROR-PAGE"}},
		{"blank", page(200, nil, "", 1), []string{"CHANNEL-ERROR-PAGE"}},
		{"not in the app", page(200, nil, "居民身份证换领 该事项暂未在皖事通APP上线，请通过皖事通办网站（电脑端）办理。", 1), []string{"CHANNEL-PARITY"}},
		{"a guide that mentions maintenance", page(200, nil, long+"设备系统维护期间暂停服务。", 1), nil},
		{"a guide", page(200, nil, long, 1), nil},
	} {
		if got := rulesOf(Unusable(c.p)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
