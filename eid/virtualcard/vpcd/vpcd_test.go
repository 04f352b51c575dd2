package vpcd

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

type recCard struct{ events []string }

func (c *recCard) ATR() []byte { return []byte{0x3B, 0x00} }
func (c *recCard) PowerOn()    { c.events = append(c.events, "on") }
func (c *recCard) PowerOff()   { c.events = append(c.events, "off") }
func (c *recCard) Reset()      { c.events = append(c.events, "reset") }
func (c *recCard) Process(cmd []byte) []byte {
	c.events = append(c.events, "apdu")
	return append(append([]byte(nil), cmd[1:2]...), 0x90, 0x00)
}

func frame(payload ...byte) []byte { return append([]byte{0, byte(len(payload))}, payload...) }

func TestServeConnSpeaksTheProtocol(t *testing.T) {
	in := bytes.Join([][]byte{frame(ctrlPowerOn), frame(ctrlATR), frame(0x00, 0xB0, 0, 0, 4), frame(ctrlReset), frame(ctrlPowerOff)}, nil)
	var out bytes.Buffer
	card := &recCard{}
	if err := serveConn(bytes.NewReader(in), &out, card); err != nil {
		t.Fatal(err)
	}
	want := append(frame(0x3B, 0x00), frame(0xB0, 0x90, 0x00)...)
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("replies % X, want % X", out.Bytes(), want)
	}
	if got := strings.Join(card.events, ","); got != "on,apdu,reset,off" {
		t.Errorf("card saw %s", got)
	}
}

func TestServeConnRejectsBadInput(t *testing.T) {
	for name, in := range map[string][]byte{
		"unknown control": frame(0x09),
		"truncated":       {0, 5, 1, 2},
	} {
		err := serveConn(bytes.NewReader(in), &bytes.Buffer{}, &recCard{})
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestServeStopsOnCancel(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln.Addr().String(), &recCard{}) }()
	conn, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve after cancel: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not stop on cancel")
	}
	// The driver sees the card removed: its end of the connection closes.
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if n, err := conn.Read(make([]byte, 1)); err == nil {
		t.Errorf("connection still open after cancel (read %d bytes)", n)
	}
}

func TestServeReportsUnreachableDriver(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := ln.Addr().String()
	ln.Close()
	err := Serve(context.Background(), addr, &recCard{})
	if err == nil || !strings.Contains(err.Error(), "pcscd") {
		t.Errorf("got %v, want a hint about pcscd", err)
	}
}
