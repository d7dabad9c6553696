package notify

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestRenderLimits: however long a message, what goes to Slack stays within Block Kit's limits.
func TestRenderLimits(t *testing.T) {
	n := &Notifier{base: "https://tiyan.example.gov.cn"}
	var b strings.Builder
	var ids []int64
	for i := range 3000 {
		b.WriteString("• #1 个体工商户设立登记 · 六安市市场监督管理局 · 严重 · 材料清单与实施清单不一致\n")
		ids = append(ids, int64(i))
	}
	r, err := n.render(Message{Kind: KindDigest, Key: "k", Title: strings.Repeat("标题", 200), Text: b.String(), RunID: "r1", Findings: ids})
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Type string `json:"type"`
		Text struct {
			Text string `json:"text"`
		} `json:"text"`
	}
	if err := json.Unmarshal(r.blocks, &blocks); err != nil {
		t.Fatal(err)
	}
	if len(blocks) > maxBlocks {
		t.Errorf("%d blocks", len(blocks))
	}
	for _, bl := range blocks {
		if bl.Type == "header" && utf8.RuneCountInString(bl.Text.Text) > maxHeader || utf8.RuneCountInString(bl.Text.Text) > maxSection {
			t.Errorf("%s block of %d characters", bl.Type, utf8.RuneCountInString(bl.Text.Text))
		}
	}
	if last := string(r.blocks); !strings.Contains(last, "内容过长") || !strings.Contains(last, "/runs/r1") {
		t.Errorf("long message lacks the cut note or the run link")
	}
	if len(r.text) > maxFallback+3*maxHeader+1 || strings.Count(r.text, "<") != strings.Count(r.text, ">") {
		t.Errorf("fallback text of %d bytes, links balanced: %v", len(r.text), strings.Count(r.text, "<") == strings.Count(r.text, ">"))
	}
}
