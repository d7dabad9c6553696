package browser_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"

	"tiyan/internal/browser"
)

// TestAnnotated: the region around a box below the fold comes back one viewport in size at
// 1 CSS px per image px, with the element inside the box and a red frame around it, and the
// page is not scrolled.
func TestAnnotated(t *testing.T) {
	ts := serve(t)
	for _, dev := range []browser.Device{browser.PC, browser.H5} {
		t.Run(dev.Name, func(t *testing.T) {
			tab := chromium.Session(t, dev)
			if err := browser.Navigate(tab, ts.URL+"/annotate.html"); err != nil {
				t.Fatal(err)
			}
			target := browser.Box{X: 200, Y: 1800, Width: 100, Height: 60}
			img := annotated(t, tab, target)
			if got := img.Bounds().Size(); got.X != int(dev.Width) || got.Y != int(dev.Height) {
				t.Fatalf("image %v, want one viewport %dx%d", got, dev.Width, dev.Height)
			}
			// The region is centred on the box vertically; horizontally it cannot move left of
			// the document's edge, so the box stays at x = 200.
			x0, y0 := 200, (img.Bounds().Dy()-60)/2
			if c := img.At(x0+50, y0+30); !near(c, color.RGBA{0, 0xc0, 0, 0xff}) {
				t.Errorf("inside the box %v, want the green element", c)
			}
			if c := img.At(x0-2, y0+30); !near(c, color.RGBA{0xe0, 0x10, 0x10, 0xff}) {
				t.Errorf("left of the box %v, want the red frame", c)
			}
			if c := img.At(x0+50, y0+60+10); !near(c, color.RGBA{0xff, 0xff, 0xff, 0xff}) {
				t.Errorf("below the frame %v, want the white page", c)
			}
			if y, err := browser.EvalJSON[float64](tab, `scrollY`); err != nil || y != 0 {
				t.Errorf("page scrolled to %v (%v), want left at 0", y, err)
			}
		})
	}
}

// TestAnnotatedNearTheEnd: a box at the bottom-left corner of the document keeps the region
// inside the document, and the box where it is.
func TestAnnotatedNearTheEnd(t *testing.T) {
	ts := serve(t)
	tab := chromium.Session(t, browser.PC)
	if err := browser.Navigate(tab, ts.URL+"/annotate.html"); err != nil {
		t.Fatal(err)
	}
	img := annotated(t, tab, browser.Box{X: 0, Y: 2950, Width: 40, Height: 40})
	h := img.Bounds().Dy()
	// The document is 3000 px tall, so the region ends at 3000 and the box is 50 px from its end.
	if c := img.At(20, h-50+20); !near(c, color.RGBA{0, 0, 0xc0, 0xff}) {
		t.Errorf("where the corner box should be %v, want blue", c)
	}
	if c := img.At(42, h-50+20); !near(c, color.RGBA{0xe0, 0x10, 0x10, 0xff}) {
		t.Errorf("right of the corner box %v, want the red frame", c)
	}
}

func TestAnnotatedWithoutBoxes(t *testing.T) {
	ts := serve(t)
	tab := chromium.Session(t, browser.H5)
	if err := browser.Navigate(tab, ts.URL+"/annotate.html"); err != nil {
		t.Fatal(err)
	}
	img := annotated(t, tab)
	if got := img.Bounds().Size(); got.X != 375 || got.Y != 667 {
		t.Errorf("image %v, want the 375x667 viewport in CSS pixels", got)
	}
}

func annotated(t *testing.T, tab context.Context, boxes ...browser.Box) image.Image {
	t.Helper()
	shot, err := browser.Annotated(tab, boxes)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// near compares colours with a tolerance for resampling at the edges.
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) bool { return int(x>>8)-int(y) < 24 && int(y)-int(x>>8) < 24 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}
