package browsertest

import (
	"context"
	"fmt"
	"testing"

	"tiyan/internal/axe"
	"tiyan/internal/browser"
)

// CheckAccessible checks the page a tab shows as tiyan checks a portal's: axe-core finds
// nothing serious or critical (lesser violations are logged), and the page does not scroll
// sideways on the device.
func CheckAccessible(t testing.TB, tab context.Context, dev browser.Device) {
	t.Helper()
	res, err := axe.Run(tab, axe.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		msg := fmt.Sprintf("axe %s (%s) on %s: %s, e.g. %s", v.ID, v.Impact, res.URL, v.Help, v.Nodes[0].HTML)
		if v.Impact == axe.Serious || v.Impact == axe.Critical {
			t.Error(msg)
		} else {
			t.Log(msg)
		}
	}
	wide, err := browser.EvalJSON[bool](tab, `document.documentElement.scrollWidth > document.documentElement.clientWidth`)
	if err != nil {
		t.Fatal(err)
	}
	if wide {
		t.Errorf("%s scrolls horizontally at %d px", res.URL, dev.Width)
	}
}
