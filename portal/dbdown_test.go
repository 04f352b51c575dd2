package portal

import (
	"context"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/portal/store/storetest"
)

// tcpCut forwards a port to the database until cut, as a network that
// fails would: the listener closes and every open connection drops.
type tcpCut struct {
	t      testing.TB
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newTCPCut(t testing.TB, target string) *tcpCut {
	c := &tcpCut{t: t, target: target, conns: map[net.Conn]bool{}}
	c.listen("127.0.0.1:0")
	t.Cleanup(c.cut)
	return c
}

func (c *tcpCut) listen(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	c.ln, c.addr = ln, ln.Addr().String()
	c.mu.Unlock()
	go func() {
		for {
			in, err := ln.Accept()
			if err != nil {
				return
			}
			go c.pipe(in)
		}
	}()
}

func (c *tcpCut) pipe(in net.Conn) {
	out, err := net.Dial("tcp", c.target)
	if err != nil {
		in.Close()
		return
	}
	c.mu.Lock()
	c.conns[in], c.conns[out] = true, true
	c.mu.Unlock()
	go func() { io.Copy(out, in); out.Close() }()
	io.Copy(in, out)
	in.Close()
}

// cut closes the listener and every connection.
func (c *tcpCut) cut() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ln != nil {
		c.ln.Close()
		c.ln = nil
	}
	for conn := range c.conns {
		conn.Close()
	}
	clear(c.conns)
}

// mend listens again on the same address.
func (c *tcpCut) mend() { c.listen(c.addr) }

// The database gone: a plain 503 in the citizen's language at both
// instances, and a token request fails whole; the database back: the
// same instances serve again, with the session kept.
func TestClusterDatabaseDown(t *testing.T) {
	dsn := storetest.Postgres(t)
	u, _ := url.Parse(dsn)
	link := newTCPCut(t, u.Host)
	u.Host = link.addr
	e, ps := newCluster(t, u.String())
	c := loadCard(t, "citizen-1.8")
	b := e.browser()
	b.requestOnline(c, user1, pass1, mail1)
	codes := e.last().codes(t)
	if r, _ := b.login(user1, pass1, func(p int) string { return codes[p] }); r.path != "/me" {
		t.Fatalf("login: %s", r.path)
	}
	who, _ := findCitizen(context.Background(), e.p.db, "username", user1)

	link.cut()
	for i := range 2 { // one request at each instance
		r := b.get("/me?lang=fr")
		want := html.EscapeString(e.p.cats["fr"].T("err.unavailable"))
		if r.status != http.StatusServiceUnavailable || !b.showsIn(r, "fr", "err.unavailable") || r.header.Get("Retry-After") == "" {
			t.Errorf("request %d with the database down: %d, want 503 saying %q", i, r.status, want)
		}
	}
	v := person{NationalNumber: who.NationalNumber, Surname: who.Surname, GivenNames: who.GivenNames}
	if _, err := ps[1].issueOnline(context.Background(), v, nil, "fr"); err == nil {
		t.Fatal("a token was issued with the database down")
	}

	link.mend()
	for i := range 2 {
		if r := b.get("/me"); r.status != http.StatusOK || r.path != "/me" {
			t.Fatalf("request %d after the database came back: %d %s", i, r.status, r.path)
		}
	}
	var tokens int
	e.p.db.QueryRow(`SELECT COUNT(*) FROM tokens`).Scan(&tokens)
	if tokens != 1 {
		t.Errorf("%d tokens after a request failed with the database down, want the first one only", tokens)
	}
}
