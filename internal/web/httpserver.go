package web

import (
	"net/http"
	"time"
)

// Timeouts bound how long one connection may hold the server, so that a client sending its
// request a byte at a time, or never reading the answer, cannot keep connections open for ever.
// Zero fields are the defaults.
type Timeouts struct {
	// ReadHeader is the time to send the request's headers; default 10 s.
	ReadHeader time.Duration
	// Read is the time to send the whole request, body included; default 2 minutes, enough to
	// upload five 5 MB photos on a slow line.
	Read time.Duration
	// Write is the time from the end of the headers to the end of the answer; default
	// 3 minutes. Routes that take longer (立即复核 replays a page) extend their own deadline.
	Write time.Duration
	// Idle is how long a kept-alive connection waits for its next request; default 2 minutes.
	Idle time.Duration
}

// maxHeaderBytes bounds a request's headers: ample for cookies and a bearer token.
const maxHeaderBytes = 64 << 10

func (t Timeouts) withDefaults() Timeouts {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.ReadHeader, 10*time.Second)
	def(&t.Read, 2*time.Minute)
	def(&t.Write, 3*time.Minute)
	def(&t.Idle, 2*time.Minute)
	return t
}

// HTTPServer returns the http.Server every listener of tiyan uses for h: with t's timeouts
// and a bound on header size.
func HTTPServer(h http.Handler, t Timeouts) *http.Server {
	t = t.withDefaults()
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read, WriteTimeout: t.Write,
		IdleTimeout: t.Idle, MaxHeaderBytes: maxHeaderBytes}
}

// extendWrite gives a slow route (a replay) until d from now to answer, past the server's
// write timeout. A ResponseWriter that cannot (a test recorder) needs none. The deadline is
// the socket's, on the wall clock, not the server's injected one.
func extendWrite(w http.ResponseWriter, d time.Duration) {
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(d))
}
