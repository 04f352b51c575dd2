package agent_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// slowHandshakes opens n connections that never finish their handshake:
// silent ones, ones stuck in a header, and complete requests missing
// the blank line that ends them.
func slowHandshakes(t *testing.T, port, n int) []net.Conn {
	t.Helper()
	full := rawRequest(port, testOrigin)
	partial := []string{"", full[:40], full[:len(full)-2]}
	conns := make([]net.Conn, 0, n)
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	for i := range n {
		c, err := net.DialTimeout("tcp4", fmt.Sprintf("127.0.0.1:%d", port), 5*time.Second)
		if err != nil {
			t.Fatalf("slow connection %d: %v", i, err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, partial[i%len(partial)]); err != nil {
			t.Fatalf("slow connection %d: %v", i, err)
		}
	}
	return conns
}

// Half-sent handshakes (slowloris) neither delay other pages nor take
// the websocket slots: MaxConns counts admitted connections only.
func TestHostileSlowHandshakes(t *testing.T) {
	const slots = 4
	e := start(t, "citizen-1.7", newScriptUI(), func(o *agent.Options) { o.Limits.MaxConns = slots })
	slow := slowHandshakes(t, e.port, 150)
	stop := make(chan struct{})
	var trickle sync.WaitGroup
	trickle.Go(func() { // keep the stuck headers growing, a byte at a time
		for {
			select {
			case <-stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			for i := 1; i < len(slow); i += 3 {
				slow[i].Write([]byte("a"))
			}
		}
	})
	defer func() { close(stop); trickle.Wait() }()
	t0 := time.Now()
	for range slots {
		c := e.dial(testOrigin)
		var v agent.VersionResult
		c.ok("version", nil, &v)
	}
	took := time.Since(t0)
	t.Logf("%d pages served next to %d half-sent handshakes in %v", slots, len(slow), took)
	if took > 5*time.Second {
		t.Errorf("pages waited %v behind half-sent handshakes", took)
	}
	if status, _, _ := e.handshake("/v1", "", testOrigin); status != 0 {
		t.Errorf("with every slot taken: status %d, want the connection dropped", status)
	}
	checkNoSecrets(t, e, "citizen-1.7")
}

// A half-sent handshake does not hold its socket and goroutine forever:
// the agent drops it after its 10 s header timeout.
func TestHostileSlowHandshakesDropped(t *testing.T) {
	t.Parallel() // mostly waiting for the agent's timeout
	e := start(t, "", newScriptUI())
	slow := slowHandshakes(t, e.port, 30)
	t0 := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(slow))
	for _, c := range slow {
		wg.Go(func() {
			c.SetReadDeadline(time.Now().Add(20 * time.Second))
			b, err := io.ReadAll(c)
			switch {
			case errors.Is(err, os.ErrDeadlineExceeded):
				errs <- errors.New("still open after 20 s")
			case strings.Contains(strings.ToLower(string(b)), "eidbridge"):
				errs <- fmt.Errorf("answered %q, which names the agent", b) // net/http's plain 400 is fine
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	t.Logf("%d half-sent handshakes dropped after %v", len(slow), time.Since(t0))
}

// At the connection cap, every further handshake is dropped without an
// answer; the refusals leak no slot, and each closed page frees exactly
// one.
func TestHostileConnectionCap(t *testing.T) {
	const max, extra, freed = 20, 100, 5
	e := start(t, "", newScriptUI(), func(o *agent.Options) { o.Limits.MaxConns = max })
	held := make([]*rawConn, 0, max)
	defer func() {
		for _, c := range held {
			c.Close()
		}
	}()
	for range max {
		held = append(held, rawOpen(t, e.port, testOrigin))
	}
	var wg sync.WaitGroup
	errs := make(chan error, extra)
	for range extra {
		wg.Go(func() { errs <- refusedBare(e.port) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range held[:freed] {
		c.Close()
	}
	held = held[freed:]
	deadline := time.Now().Add(5 * time.Second)
	for len(held) < max {
		c, resp, err := rawTry(e.port, testOrigin)
		if err == nil && resp.StatusCode == http.StatusSwitchingProtocols {
			held = append(held, c)
			continue
		}
		if c != nil {
			c.Close()
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d freed slots came back", len(held)-(max-freed), freed)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := refusedBare(e.port); err != nil {
		t.Fatalf("once full again: %v", err)
	}
	held[0].writeText(t, `{"id":"1","op":"version"}`) // the held ones still work
	if msg := held[0].readText(t); !strings.Contains(string(msg), `"agentVersion"`) {
		t.Errorf("version: %s", msg)
	}
}

// refusedBare checks that a handshake gets no answer at all: the agent
// drops the connection, as a closed port would.
func refusedBare(port int) error {
	c, resp, err := rawTry(port, testOrigin)
	if dropped(err) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Close()
	return fmt.Errorf("answered %d, want the connection dropped", resp.StatusCode)
}
