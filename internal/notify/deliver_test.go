package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"tiyan/internal/finding"
	"tiyan/internal/notify"
)

// secrets are what the test data carries that must never reach Slack: applicants' mobile and
// ID-card numbers and names, and sign-in tickets in page URLs.
var secrets = []string{"13812345678", "13912345678", "340102199001011234", "张三", "ST-123-secret", "ST-999-secret", "ticket=", "?"}

// seedRun files a sweep as the CLI does: an earlier run's finding seen again, three new ones
// (one titled with a mobile number, one whose detail and URL carry personal data and a
// ticket), and a prober error whose URL has a ticket. It returns the run's ID.
func seedRun(t testing.TB, st store) string {
	t.Helper()
	ctx := context.Background()
	units := must[[]finding.Unit](t)(st.EnsureUnits(ctx, []finding.Unit{
		{Name: "六安市市场监督管理局", Jurisdiction: "341500"}, {Name: "六安市人力资源和社会保障局", Jurisdiction: "341500"}}))
	old := must[finding.Run](t)(st.CreateRun(ctx, finding.Run{ID: "20260929-010000-aaaaaa", Kind: finding.RunSweep, Started: t0.Add(-24 * time.Hour)}))
	ingest(t, st, units[0].ID, sighting("fp-old", old.ID, t0.Add(-23*time.Hour), finding.CatGuide, finding.Major, "材料清单与实施清单不一致"))

	run := must[finding.Run](t)(st.CreateRun(ctx, finding.Run{ID: "20260930-010000-bbbbbb", Kind: finding.RunSweep, Site: "wanshitong",
		Channels: []string{"pc", "h5"}, Started: t0, Total: 6}))
	ingest(t, st, units[0].ID, sighting("fp-old", run.ID, t0.Add(time.Minute), finding.CatGuide, finding.Major, "材料清单与实施清单不一致"))
	ingest(t, st, units[0].ID, sighting("fp-a", run.ID, t0.Add(2*time.Minute), finding.CatLayout, finding.Blocker, "页面横向溢出"))
	b := sighting("fp-b", run.ID, t0.Add(3*time.Minute), finding.CatGuide, finding.Major, "咨询电话 13812345678 无人接听")
	b.Detail = "申请人 张三 身份证 340102199001011234 手机 13912345678"
	b.URL = "https://www.ahzwfw.gov.cn/bog-bsdt/static/workProcess.html?ticket=ST-123-secret&ssqdId=1"
	ingest(t, st, units[1].ID, b)
	ingest(t, st, units[1].ID, sighting("fp-c", run.ID, t0.Add(4*time.Minute), finding.CatChannel, finding.Minor, "在线办理入口不可用"))

	run.Status, run.Finished, run.Done, run.Findings = finding.RunDone, t0.Add(time.Hour), 6, 4
	run.Errors = []string{"11341500MB1234567X4000117001 pc guide：打开 https://sso.ahzwfw.gov.cn/uccp-server/login?service=x&ticket=ST-999-secret 超时"}
	if err := st.UpdateRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	return run.ID
}

func sighting(fp, run string, at time.Time, cat finding.Category, sev finding.Severity, title string) finding.Sighting {
	return finding.Sighting{Rule: "RULE-" + fp, Title: title, Detail: "见截图", Category: cat, Severity: sev,
		ItemCode: "11341500MB1234567X4000117001", ItemName: "个体工商户设立登记", Unit: "六安市市场监督管理局",
		Jurisdiction: "341500", Channel: finding.PC, URL: "https://www.ahzwfw.gov.cn/item", Fingerprint: fp,
		Source: finding.SourceProbe, RunID: run, SeenAt: at}
}

func ingest(t testing.TB, st store, unit int64, s finding.Sighting) {
	t.Helper()
	if _, err := st.Ingest(context.Background(), []finding.SightingGroup{{UnitID: unit, Sightings: []finding.Sighting{s}}}); err != nil {
		t.Fatal(err)
	}
}

// checkClean fails t if s carries any of the secrets, or is not Chinese.
func checkClean(t testing.TB, what, s string) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s contains %q:\n%s", what, secret, s)
		}
	}
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		t.Errorf("%s is not in Chinese: %s", what, s)
	}
}

func TestDigestDeliveredOnce(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	runID := seedRun(t, st)
	n := newNotifier(t, st, srv, clk)
	for range 2 { // a retried job enqueues again: still one digest
		if err := n.EnqueueRun(ctx, st, runID); err != nil {
			t.Fatal(err)
		}
	}
	if sent, err := n.Deliver(ctx); sent != 2 || err != nil {
		t.Fatalf("deliver = %d, %v; want the digest and the ops alert", sent, err)
	}
	if sent, err := n.Deliver(ctx); sent != 0 || err != nil {
		t.Fatalf("deliver again = %d, %v; want nothing", sent, err)
	}
	posts := srv.posts()
	if len(posts) != 2 {
		t.Fatalf("Slack got %d messages, want 2: %+v", len(posts), posts)
	}
	digest, ops := posts[0], posts[1]
	if digest.Key() != "digest:run:"+runID || digest.Channel != "#tiyan" || ops.Key() != "ops:run:"+runID || ops.Channel != "#tiyan-ops" {
		t.Fatalf("posts = %+v", posts)
	}
	for _, want := range []string{"体验汇总", "全量巡检", "新发现 3 个", "再次发现 1 个", "个体工商户设立登记", "六安市人力资源和社会保障局",
		"阻断 1", "办事指南 2", base + "/findings/", base + "/runs/" + runID, "[手机号已隐去]", "体验程序出错 1 处"} {
		if !strings.Contains(digest.Blocks, want) {
			t.Errorf("digest lacks %q:\n%s", want, digest.Blocks)
		}
	}
	if !strings.Contains(ops.Blocks, "https://sso.ahzwfw.gov.cn/uccp-server/login") {
		t.Errorf("ops alert lacks the page (without its query):\n%s", ops.Blocks)
	}
	for _, p := range posts {
		checkClean(t, p.Key()+" blocks", strings.ReplaceAll(p.Blocks, base+"/", "")) // our own links have no query
		checkClean(t, p.Key()+" text", p.Text)
	}
	if pending := must[int](t)(st.CountOutboxPending(ctx)); pending != 0 {
		t.Errorf("pending = %d", pending)
	}
	ms := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{Key: "digest:run:" + runID}))
	if len(ms) != 1 || ms[0].Receipt == "" || !ms[0].Delivered.Equal(t0) || ms[0].Attempts != 1 {
		t.Errorf("outbox = %+v", ms)
	}
}

// TestDigestAfterOutage is issue 6's acceptance test: Slack fails for the first minute (500s,
// then a rate limit), and the digest arrives exactly once after it recovers. The clock is moved
// by hand, ten seconds at a time.
func TestDigestAfterOutage(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(url.Values) int {
		switch since := clk.Now().Sub(t0); {
		case since < 20*time.Second:
			return http.StatusInternalServerError
		case since < time.Minute:
			return http.StatusTooManyRequests
		}
		return 0
	})
	n := newNotifier(t, st, srv, clk)
	runID := seedRun(t, st)
	must[bool](t)(n.Enqueue(ctx, notify.DigestMessage(must[finding.Run](t)(st.Run(ctx, runID)), must[[]finding.Finding](t)(st.RunFindings(ctx, runID)))))

	var delivered time.Duration
	for step := time.Duration(0); step <= 30*time.Minute; step += 10 * time.Second {
		if sent, _ := n.Deliver(ctx); sent == 1 {
			delivered = clk.Now().Sub(t0)
			break
		}
		clk.Add(10 * time.Second)
	}
	// A 500 at 0 s: retry in 30 s. Rate limited at 30 s: the backoff would be 60 s, Slack's
	// Retry-After says 90 s. Accepted at 2 min: three requests in all, not one every ten seconds.
	if delivered != 2*time.Minute || srv.tries() != 3 {
		t.Errorf("delivered after %v in %d attempts; want 2m0s and 3", delivered, srv.tries())
	}
	for range 10 {
		clk.Add(time.Hour)
		if sent, err := n.Deliver(ctx); sent != 0 || err != nil {
			t.Fatalf("deliver after delivery = %d, %v", sent, err)
		}
	}
	if posts := srv.posts(); len(posts) != 1 || posts[0].Key() != "digest:run:"+runID {
		t.Fatalf("Slack got %+v; want the digest once", posts)
	}
	m := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{}))[0]
	if m.Attempts != 3 || m.LastError != "" || m.Pending() {
		t.Errorf("outbox after recovery = %+v", m)
	}
}

// TestRateLimitRetryAfter: Slack's Retry-After is a floor under the backoff.
func TestRateLimitRetryAfter(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(url.Values) int { return http.StatusTooManyRequests })
	n := newNotifier(t, st, srv, clk)
	must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Key: "ops:1", Title: "测试"}))
	if sent, err := n.Deliver(ctx); sent != 0 || err == nil {
		t.Fatalf("deliver while rate limited = %d, %v", sent, err)
	}
	m := must[[]finding.OutboxMessage](t)(st.OutboxMessages(ctx, finding.OutboxFilter{}))[0]
	if got := m.NextAttempt.Sub(t0); got != 90*time.Second {
		t.Errorf("next attempt in %v, want Slack's Retry-After 90s", got)
	}
	if !strings.Contains(m.LastError, "rate limit") {
		t.Errorf("last error = %q", m.LastError)
	}
}

// TestRefusedMessageDoesNotBlock: a message Slack refuses (its channel does not exist) is
// retried later; the others go out now.
func TestRefusedMessageDoesNotBlock(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	srv.setFail(func(f url.Values) int {
		if f.Get("channel") == "#gone" {
			return http.StatusOK // {"ok":false,"error":"channel_not_found"}
		}
		return 0
	})
	n := newNotifier(t, st, srv, clk)
	overdue := notify.OverdueMessage(finding.Unit{ID: 7, Name: "金安区政务服务中心", SlackChannel: "#gone"},
		[]finding.Finding{{ID: 3, Title: "材料模板缺失", ItemName: "不动产登记", Severity: finding.Major, Deadline: t0.Add(-72 * time.Hour)}}, t0)
	must[bool](t)(n.Enqueue(ctx, overdue))
	must[bool](t)(n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Key: "ops:2", Title: "测试"}))
	sent, err := n.Deliver(ctx)
	if sent != 1 || err == nil || !strings.Contains(err.Error(), "channel_not_found") {
		t.Fatalf("deliver = %d, %v; want the ops message sent and channel_not_found", sent, err)
	}
	if pending := must[int](t)(st.CountOutboxPending(ctx)); pending != 1 {
		t.Errorf("pending = %d, want the refused reminder kept", pending)
	}
}

// TestConcurrentDeliver: two deliverers (two processes on one database, or two goroutines)
// drain one outbox at the same time; Slack gets every message exactly once.
func TestConcurrentDeliver(t *testing.T) {
	for _, s := range storePairs {
		t.Run(s.name, func(t *testing.T) {
			ctx := t.Context()
			srv, clk := newSlack(t), newClock()
			sa, sb := s.open(t)
			a, b := newNotifier(t, sa, srv, clk), newNotifier(t, sb, srv, clk)
			const messages = 40
			for i := range messages {
				must[bool](t)(a.Enqueue(ctx, notify.Message{Kind: notify.KindDigest, Key: fmt.Sprintf("digest:run:%d", i), Title: "【体验汇总】测试", Text: "新发现 1 个"}))
			}
			var wg sync.WaitGroup
			sent := make([]int, 4)
			for i, n := range []*notify.Notifier{a, b, a, b} {
				wg.Go(func() {
					var err error
					if sent[i], err = n.Deliver(ctx); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if total := sent[0] + sent[1] + sent[2] + sent[3]; total != messages {
				t.Errorf("sent %v = %d, want %d", sent, total, messages)
			}
			seen := map[string]int{}
			for _, p := range srv.posts() {
				seen[p.Key()]++
			}
			if len(seen) != messages {
				t.Errorf("Slack got %d distinct messages, want %d", len(seen), messages)
			}
			for k, c := range seen {
				if c != 1 {
					t.Errorf("%s posted %d times", k, c)
				}
			}
		})
	}
}

func TestSlackOff(t *testing.T) {
	ctx := t.Context()
	st := openSQLite(t)
	n := must[*notify.Notifier](t)(notify.New(notify.Config{Outbox: st}))
	if n.Enabled() {
		t.Fatal("enabled without a token")
	}
	if queued, err := n.Enqueue(ctx, notify.Message{Kind: notify.KindOps, Key: "ops:1", Title: "测试"}); queued || err != nil {
		t.Errorf("enqueue with Slack off = %v, %v", queued, err)
	}
	if sent, err := n.Deliver(ctx); sent != 0 || err != nil {
		t.Errorf("deliver with Slack off = %d, %v", sent, err)
	}
	if pending := must[int](t)(st.CountOutboxPending(ctx)); pending != 0 {
		t.Errorf("pending = %d", pending)
	}
}

func TestConfig(t *testing.T) {
	st := openSQLite(t)
	_, err := notify.New(notify.Config{Outbox: st, Token: "xoxb-1", DigestChannel: "#d"})
	if finding.ErrorCode(err) != finding.EINVALID || !strings.Contains(err.Error(), "TIYAN_SLACK_CHANNEL") {
		t.Errorf("token without channels: %v", err)
	}
	if _, err := notify.New(notify.Config{Outbox: st, Token: "xoxb-1", DigestChannel: "#d", OverdueChannel: "#o", OpsChannel: "#x"}); err != nil {
		t.Errorf("a channel per kind: %v", err)
	}
	if _, err := notify.New(notify.Config{Token: "xoxb-1", DefaultChannel: "#d"}); err == nil {
		t.Error("no outbox accepted")
	}
	n := must[*notify.Notifier](t)(notify.New(notify.Config{Outbox: st, Token: "x", DefaultChannel: "#d"}))
	for _, bad := range []notify.Message{{Kind: notify.KindOps, Title: "无键"}, {Kind: "mail", Key: "k", Title: "x"}, {Kind: notify.KindOps, Key: "k"}} {
		if _, err := n.Enqueue(t.Context(), bad); finding.ErrorCode(err) != finding.EINVALID {
			t.Errorf("enqueue %+v: %v", bad, err)
		}
	}
}

// TestOverdueChannel: a unit's reminder goes to the unit's channel, or the overdue channel
// when it has none.
func TestOverdueChannel(t *testing.T) {
	ctx := t.Context()
	st, srv, clk := openSQLite(t), newSlack(t), newClock()
	n := must[*notify.Notifier](t)(notify.New(notify.Config{Outbox: st, Token: "x", APIURL: srv.URL, DefaultChannel: "#tiyan",
		OverdueChannel: "#overdue", Now: clk.Now}))
	fs := []finding.Finding{{ID: 5, Title: "办理时限与承诺不符", ItemName: "食品经营许可", Severity: finding.Minor, Deadline: t0.Add(-48 * time.Hour)}}
	must[bool](t)(n.Enqueue(ctx, notify.OverdueMessage(finding.Unit{ID: 1, Name: "舒城县市场监督管理局", SlackChannel: "#shucheng"}, fs, t0)))
	must[bool](t)(n.Enqueue(ctx, notify.OverdueMessage(finding.Unit{ID: 2, Name: "霍山县市场监督管理局"}, fs, t0)))
	if queued := must[bool](t)(n.Enqueue(ctx, notify.OverdueMessage(finding.Unit{ID: 2, Name: "霍山县市场监督管理局"}, fs, t0.Add(time.Hour)))); queued {
		t.Error("a second reminder the same day was queued")
	}
	must[int](t)(n.Deliver(ctx))
	posts := srv.posts()
	if len(posts) != 2 || posts[0].Channel != "#shucheng" || posts[1].Channel != "#overdue" {
		t.Fatalf("posts = %+v", posts)
	}
	var blocks []map[string]any
	if err := json.Unmarshal([]byte(posts[0].Blocks), &blocks); err != nil || len(blocks) < 2 {
		t.Fatalf("blocks %s: %v", posts[0].Blocks, err)
	}
	if !strings.Contains(posts[0].Blocks, "期限 2026-09-28（已超 2 天）") {
		t.Errorf("reminder = %s", posts[0].Blocks)
	}
}

// TestRun: the delivery loop sends what is enqueued while it runs, and stops with its context.
func TestRun(t *testing.T) {
	st, srv := openSQLite(t), newSlack(t)
	n := must[*notify.Notifier](t)(notify.New(notify.Config{Outbox: st, Token: "x", APIURL: srv.URL, DefaultChannel: "#tiyan"}))
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() {
		n.Run(ctx, 10*time.Millisecond)
		close(done)
	}()
	must[bool](t)(n.Enqueue(t.Context(), notify.Message{Kind: notify.KindOps, Key: "ops:run", Title: "测试"}))
	deadline := time.Now().Add(5 * time.Second)
	for len(srv.posts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if len(srv.posts()) != 1 {
		t.Errorf("posts = %+v", srv.posts())
	}
}
