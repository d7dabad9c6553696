package browser

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// Box is a rectangle in document CSS pixels: from the top-left of the page, not of the
// viewport, so it stays valid whatever the page is scrolled to.
type Box struct {
	X, Y, Width, Height float64
}

// outlineWidth is how thick the red frame Annotated draws around a box is. It is drawn just
// outside the box, so the element itself stays readable.
const outlineWidth = 4

var outlineColor = color.RGBA{R: 0xe0, G: 0x10, B: 0x10, A: 0xff}

// Annotated returns a PNG of the page around boxes[0], one viewport in size, with every box
// that falls in it outlined in red: the evidence "annotated screenshot with the offending
// element outlined". The image is at 1 CSS pixel per image pixel whatever the device's pixel
// ratio, so boxes and the image share coordinates. The region is captured beyond the viewport
// without scrolling, and the outlines are drawn in Go: the page is left as it was. With no
// boxes it is a plain picture of the current viewport.
func Annotated(ctx context.Context, boxes []Box) ([]byte, error) {
	vp, err := EvalJSON[viewport](ctx, viewportJS)
	if err != nil {
		return nil, fmt.Errorf("annotated screenshot: measure the page: %w", err)
	}
	clip := vp.around(boxes)
	shot, err := Run(ctx, captureRegion(clip, 1/vp.DPR))
	if err != nil {
		return nil, fmt.Errorf("annotated screenshot: %w", err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		return nil, fmt.Errorf("annotated screenshot: decode: %w", err)
	}
	canvas := image.NewRGBA(img.Bounds())
	draw.Draw(canvas, canvas.Bounds(), img, img.Bounds().Min, draw.Src)
	for _, b := range boxes {
		outline(canvas, image.Rect(
			int(math.Round(b.X-clip.X)), int(math.Round(b.Y-clip.Y)),
			int(math.Round(b.X+b.Width-clip.X)), int(math.Round(b.Y+b.Height-clip.Y))))
	}
	var out bytes.Buffer
	if err := png.Encode(&out, canvas); err != nil {
		return nil, fmt.Errorf("annotated screenshot: encode: %w", err)
	}
	return out.Bytes(), nil
}

// viewport is what Annotated needs to know of the page, in CSS pixels.
type viewport struct {
	Width   float64 `json:"width"`
	Height  float64 `json:"height"`
	DocW    float64 `json:"docW"`
	DocH    float64 `json:"docH"`
	ScrollX float64 `json:"scrollX"`
	ScrollY float64 `json:"scrollY"`
	DPR     float64 `json:"dpr"`
}

// scrollingElement is <body> in quirks mode; clientWidth, not innerWidth, which mobile
// emulation widens when the content overflows.
const viewportJS = `(() => {
	const r = document.scrollingElement || document.documentElement;
	return {width: r.clientWidth, height: r.clientHeight, docW: r.scrollWidth, docH: r.scrollHeight,
		scrollX: scrollX, scrollY: scrollY, dpr: devicePixelRatio || 1};
})()`

// margin keeps a box that is larger than the viewport from touching the image's edge.
const margin = 24

// around is the viewport-sized region of the document centred on the first box, moved back
// inside the document where the box is near an edge.
func (v viewport) around(boxes []Box) page.Viewport {
	w, h := min(v.Width, max(v.DocW, 1)), min(v.Height, max(v.DocH, 1))
	if len(boxes) == 0 {
		return page.Viewport{X: v.ScrollX, Y: v.ScrollY, Width: w, Height: h}
	}
	b := boxes[0]
	return page.Viewport{X: place(b.X, b.Width, w, v.DocW), Y: place(b.Y, b.Height, h, v.DocH), Width: w, Height: h}
}

// place positions a window of size span on one axis: centred on the box, or starting just
// before a box too large to centre, and within [0, doc].
func place(start, size, span, doc float64) float64 {
	at := start + size/2 - span/2
	if size > span-2*margin {
		at = start - margin
	}
	return math.Round(max(0, min(at, doc-span)))
}

// captureRegion captures clip at scale image pixels per device pixel.
func captureRegion(clip page.Viewport, scale float64) chromedp.Action[[]byte] {
	return func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		clip.Scale = scale
		res, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			Clip:                  &clip,
			FromSurface:           new(true),
			CaptureBeyondViewport: new(true),
		})
		if err != nil {
			return nil, err
		}
		return res.Data, nil
	}
}

// outline draws a red frame just outside r, clipped to the image.
func outline(img *image.RGBA, r image.Rectangle) {
	o := r.Inset(-outlineWidth)
	red := image.NewUniform(outlineColor)
	for _, edge := range []image.Rectangle{
		image.Rect(o.Min.X, o.Min.Y, o.Max.X, r.Min.Y), // top
		image.Rect(o.Min.X, r.Max.Y, o.Max.X, o.Max.Y), // bottom
		image.Rect(o.Min.X, r.Min.Y, r.Min.X, r.Max.Y), // left
		image.Rect(r.Max.X, r.Min.Y, o.Max.X, r.Max.Y), // right
	} {
		draw.Draw(img, edge.Intersect(img.Bounds()), red, image.Point{}, draw.Src)
	}
}
