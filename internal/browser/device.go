package browser

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// Device is what a session pretends to be: the viewport, the pixel density,
// touch and the user agent of the visitor whose experience tiyan checks.
type Device struct {
	// Name is the channel name used in scenarios and findings ("pc", "h5").
	Name string
	// Width and Height are the viewport in CSS pixels.
	Width, Height int64
	// Scale is the device pixel ratio.
	Scale float64
	// Mobile turns on the mobile viewport (meta viewport, overlay scrollbars,
	// text autosizing).
	Mobile bool
	// Touch turns on touch events and navigator.maxTouchPoints.
	Touch bool
	// UserAgent is sent in requests and returned by navigator.userAgent.
	UserAgent string
	// Platform is what navigator.platform returns, matching UserAgent.
	Platform string
	// AcceptLanguage is the Accept-Language header and navigator.language.
	AcceptLanguage string
}

// PC is a Windows desktop running Chrome at 1366×768, a resolution still
// common on office desktops, the typical visitor of www.ahzwfw.gov.cn.
var PC = Device{
	Name:           "pc",
	Width:          1366,
	Height:         768,
	Scale:          1,
	UserAgent:      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	Platform:       "Win32",
	AcceptLanguage: "zh-CN,zh;q=0.9",
}

// H5 is an iPhone 8-sized phone inside the 皖事通 app. The portal's H5 pages
// recognise the app container by " wzt_mpaas/" in the user agent, so the
// marker must be there for tiyan to see what app users see.
var H5 = Device{
	Name:           "h5",
	Width:          375,
	Height:         667,
	Scale:          2,
	Mobile:         true,
	Touch:          true,
	UserAgent:      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 NebulaSDK/1.8.100112 Nebula wzt_mpaas/3.1.0",
	Platform:       "iPhone",
	AcceptLanguage: "zh-CN,zh-Hans;q=0.9",
}

// Devices lists the known devices by name, in a stable order.
var Devices = []Device{PC, H5}

// DeviceByName returns the device a scenario's channel names.
func DeviceByName(name string) (Device, error) {
	i := slices.IndexFunc(Devices, func(d Device) bool { return d.Name == name })
	if i < 0 {
		names := make([]string, len(Devices))
		for j, d := range Devices {
			names[j] = d.Name
		}
		return Device{}, fmt.Errorf("unknown device %q: want one of %s", name, strings.Join(names, ", "))
	}
	return Devices[i], nil
}

// emulate applies the device to a tab. chromedp.Emulate would do most of it,
// but it sets neither navigator.platform, Accept-Language, the screen size
// nor the number of touch points, all of which portal scripts sniff.
func (d Device) emulate() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
			UserAgent: d.UserAgent, Platform: d.Platform, AcceptLanguage: d.AcceptLanguage,
		}); err != nil {
			return fmt.Errorf("emulate %s user agent: %w", d.Name, err)
		}
		if _, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, d.metrics()); err != nil {
			return fmt.Errorf("emulate %s viewport: %w", d.Name, err)
		}
		if _, err := cdp.Call(ctx, t, emulation.SetTouchEmulationEnabled, d.touch()); err != nil {
			return fmt.Errorf("emulate %s touch: %w", d.Name, err)
		}
		return nil
	})
}

func (d Device) metrics() emulation.SetDeviceMetricsOverrideParams {
	orientation := &emulation.ScreenOrientation{Type: emulation.ScreenOrientationTypePortraitPrimary}
	if d.Width > d.Height {
		orientation = &emulation.ScreenOrientation{Type: emulation.ScreenOrientationTypeLandscapePrimary, Angle: 90}
	}
	return emulation.SetDeviceMetricsOverrideParams{
		Width:             d.Width,
		Height:            d.Height,
		DeviceScaleFactor: d.Scale,
		Mobile:            d.Mobile,
		ScreenWidth:       d.Width,
		ScreenHeight:      d.Height,
		ScreenOrientation: orientation,
	}
}

func (d Device) touch() emulation.SetTouchEmulationEnabledParams {
	if !d.Touch {
		return emulation.SetTouchEmulationEnabledParams{}
	}
	// Five points, as an iPhone reports; the protocol's default of one makes
	// pinch-zoom detection in page scripts fail.
	return emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 5}
}
