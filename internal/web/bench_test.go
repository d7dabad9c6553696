package web

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"tiyan/internal/auth"
	"tiyan/internal/finding"
	"tiyan/internal/store/postgres/pgtest"
	"tiyan/internal/store/storetest"
)

// BenchmarkInboxPostgres measures whole pages as people open them, from the request to the
// last byte of HTML (session check, counts, the page of findings, the template), on PostgreSQL
// with storetest.BenchRows findings: 1,000,000 unless TIYAN_BENCH_ROWS says otherwise.
//
//	TIYAN_TEST_DATABASE_URL=… go test ./internal/web -run '^$' -bench InboxPostgres -benchtime 50x
func BenchmarkInboxPostgres(b *testing.B) {
	n := storetest.BenchRows(b)
	s := pgtest.Open(b)
	units, officers := pgtest.Seed(b, s, n)
	srv, err := New(Config{Store: s})
	if err != nil {
		b.Fatal(err)
	}
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		b.Fatal(err)
	}
	cookies := map[string]string{}
	for _, u := range []finding.User{
		{Name: "admin", Role: finding.RoleAdmin},
		{Name: "city", Role: finding.RoleStaff, Jurisdiction: "341500"},
		{Name: "county", Role: finding.RoleStaff, Jurisdiction: "341522"},
		{Name: "unit", Role: finding.RoleUnit, UnitID: units[12]},
		{Name: "officer", Role: finding.RoleOfficer, OfficerID: officers[3]},
	} {
		u.PasswordHash = hash
		got, err := s.CreateUser(b.Context(), u)
		if err != nil {
			b.Fatal(err)
		}
		secret, h := auth.NewToken()
		if err := s.CreateToken(b.Context(), finding.Token{Hash: h, UserID: got.ID, Kind: finding.TokenSession, Expires: time.Now().Add(time.Hour)}); err != nil {
			b.Fatal(err)
		}
		cookies[u.Name] = secret
	}
	for _, c := range []struct{ who, path string }{
		{"admin", "/findings"},
		{"admin", "/findings?status=found"},
		{"admin", "/findings?status=verified&page=200"},
		{"admin", "/findings?overdue=1"},
		{"admin", "/findings?category=guide&severity=major&channel=h5"},
		{"admin", "/api/findings?per_page=100"},
		{"admin", "/overview"},
		{"city", "/findings"},
		{"city", "/findings?zone=341522&status=fed_back"},
		{"county", "/findings"},
		{"county", "/findings?overdue=1"},
		{"unit", "/findings"},
		{"officer", "/findings"},
		{"county", "/overview"},
	} {
		b.Run(c.who+c.path, func(b *testing.B) {
			lat := make([]time.Duration, 0, 256)
			for b.Loop() {
				req := httptest.NewRequestWithContext(b.Context(), http.MethodGet, c.path, nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookies[c.who]})
				rec := httptest.NewRecorder()
				start := time.Now()
				srv.ServeHTTP(rec, req)
				lat = append(lat, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d\n%.300s", c.path, rec.Code, rec.Body.String())
				}
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
		})
	}
}
