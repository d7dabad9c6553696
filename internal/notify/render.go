package notify

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"
)

// Slack's limits (Block Kit): a header's text, a section's text, blocks per message.
const (
	maxHeader   = 150
	maxSection  = 3000
	maxBlocks   = 50
	maxFallback = 3000 // bytes of body in the notification text; the blocks carry the rest
)

// findingRef is a finding number in text: #12, not inside a link or a word.
var findingRef = regexp.MustCompile(`(^|[^0-9A-Za-z/|<&#])#([0-9]+)`)

// rendered is a message as the outbox keeps it.
type rendered struct {
	text   string // fallback and notification text
	blocks json.RawMessage
}

// render scrubs m and lays it out in Block Kit: a header with the title, the body in sections,
// and a link to the run. Finding numbers in the body become links to their pages.
func (n *Notifier) render(m Message) (rendered, error) {
	title := truncate(scrub(strings.TrimSpace(m.Title)), maxHeader)
	body := n.linkFindings(scrub(strings.TrimSpace(m.Text)), m.Findings)
	var blocks []slack.Block
	if title != "" {
		blocks = append(blocks, slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, title, false, false)))
	}
	for _, chunk := range sections(body, maxSection-100) {
		blocks = append(blocks, slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, chunk, false, false), nil, nil))
	}
	if len(blocks) > maxBlocks-1 {
		blocks = append(blocks[:maxBlocks-2], note("……内容过长，余下部分请在 tiyan 中查看。"))
	}
	if link := n.runLink(m.RunID); link != "" {
		blocks = append(blocks, note("在 tiyan 中查看本次运行："+link))
	}
	b, err := json.Marshal(blocks)
	if err != nil {
		return rendered{}, fmt.Errorf("encode blocks of %s: %w", m.Key, err)
	}
	// The notification text is the title and as many whole lines as fit: a line cut short
	// could leave a link open.
	text := escape(title)
	if first := sections(body, maxFallback); len(first) > 0 {
		text = strings.TrimSpace(text + "\n" + first[0])
	}
	return rendered{text: text, blocks: b}, nil
}

func note(mrkdwn string) slack.Block {
	return slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, mrkdwn, false, false))
}

// sections splits text at line ends into pieces of at most limit bytes; a single longer line
// is cut short.
func sections(text string, limit int) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimRight(cur.String(), "\n"); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for line := range strings.Lines(text) {
		if len(line) > limit {
			line = truncate(line, limit/4) + "\n" // runes: a CJK character takes 3 bytes
		}
		if cur.Len()+len(line) > limit {
			flush()
		}
		cur.WriteString(line)
	}
	flush()
	return out
}

// linkFindings turns #ID into a link to the finding's page for the IDs the message is about,
// when the web UI's address is known.
func (n *Notifier) linkFindings(text string, ids []int64) string {
	if n.base == "" || len(ids) == 0 {
		return text
	}
	return findingRef.ReplaceAllStringFunc(text, func(ref string) string {
		sub := findingRef.FindStringSubmatch(ref)
		id, err := strconv.ParseInt(sub[2], 10, 64)
		if err != nil || !slices.Contains(ids, id) {
			return ref
		}
		return fmt.Sprintf("%s<%s/findings/%d|#%d>", sub[1], n.base, id, id)
	})
}

// runLink is a link to a run's page, "" without a run or the web UI's address.
func (n *Notifier) runLink(runID string) string {
	if n.base == "" || runID == "" {
		return ""
	}
	return fmt.Sprintf("<%s/runs/%s|%s>", n.base, url.PathEscape(runID), escape(runID))
}
