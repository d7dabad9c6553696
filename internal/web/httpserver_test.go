package web

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSlowClientCut: a client that sends its body one byte at a time is cut off once the read
// timeout has passed, instead of holding the connection for as long as it likes.
func TestSlowClientCut(t *testing.T) {
	fx := newFixture(t)
	srv := HTTPServer(fx.srv, Timeouts{Read: time.Second, Write: 2 * time.Second})
	if srv.ReadHeaderTimeout <= 0 || srv.IdleTimeout <= 0 || srv.MaxHeaderBytes != maxHeaderBytes {
		t.Errorf("server settings: %+v", srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const size = 1000
	fmt.Fprintf(conn, "POST /signin HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", ln.Addr(), size)
	// A byte every 200 ms would take 200 s; the server must close the connection long before.
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		_, _ = bufio.NewReader(conn).ReadString(0) // returns when the server closes
	}()
	sent := 0
	for ; sent < size; sent++ {
		select {
		case <-closed:
			if sent == size {
				t.Fatal("the server waited for the whole trickled body")
			}
			return
		case <-time.After(200 * time.Millisecond):
		}
		if _, err := conn.Write([]byte("n")); err != nil {
			return // the server closed the connection: cut off
		}
	}
	t.Fatalf("the connection stayed open for the whole trickled body (%d bytes)", sent)
}

// TestDefaultTimeouts: the defaults every tiyan listener gets are set and consistent: the
// write timeout outlasts the read timeout, since it counts from the end of the headers.
func TestDefaultTimeouts(t *testing.T) {
	srv := HTTPServer(http.NotFoundHandler(), Timeouts{})
	if srv.ReadHeaderTimeout == 0 || srv.ReadTimeout == 0 || srv.IdleTimeout == 0 || srv.WriteTimeout <= srv.ReadTimeout {
		t.Errorf("default timeouts: header %v, read %v, write %v, idle %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	if !strings.Contains(fmt.Sprint(srv.MaxHeaderBytes), "65536") {
		t.Errorf("max header bytes = %d", srv.MaxHeaderBytes)
	}
}
