package apdu

import (
	"bytes"
	"errors"
	"testing"
)

func TestCommandRoundTrip(t *testing.T) {
	cases := []struct {
		cmd  Command
		want []byte
	}{
		{Command{CLA: 0x80, INS: 0xE6, Le: NoLe}, []byte{0x80, 0xE6, 0, 0}},
		{Command{INS: 0xB0, P1: 1, Le: 256}, []byte{0, 0xB0, 1, 0, 0}},
		{Command{INS: 0xA4, P1: 8, P2: 0x0C, Data: []byte{0x3F, 0}, Le: NoLe}, []byte{0, 0xA4, 8, 0x0C, 2, 0x3F, 0}},
		{Command{INS: 0x2A, P1: 0x9E, P2: 0x9A, Data: []byte{1}, Le: 96}, []byte{0, 0x2A, 0x9E, 0x9A, 1, 1, 0x60}},
	}
	for _, c := range cases {
		got, err := c.cmd.Bytes()
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%+v encodes to % X (%v), want % X", c.cmd, got, err, c.want)
		}
		back, err := ParseCommand(got)
		if err != nil {
			t.Fatalf("ParseCommand(% X): %v", got, err)
		}
		if again, _ := back.Bytes(); !bytes.Equal(again, got) {
			t.Errorf("ParseCommand(% X) re-encodes to % X", got, again)
		}
	}
}

func TestBadCommands(t *testing.T) {
	if _, err := (Command{Data: make([]byte, 256), Le: NoLe}).Bytes(); err == nil {
		t.Error("256 data bytes accepted in a short APDU")
	}
	if _, err := (Command{Le: 257}).Bytes(); err == nil {
		t.Error("Le 257 accepted")
	}
	for _, raw := range [][]byte{{0, 0xA4, 0}, {0, 0xA4, 0, 0, 3, 1}, {0, 0xA4, 0, 0, 0, 1, 2}} {
		if _, err := ParseCommand(raw); err == nil {
			t.Errorf("ParseCommand(% X) accepted", raw)
		}
	}
}

// scriptCard answers each command with the next scripted response.
type scriptCard struct {
	answers [][]byte
	sent    [][]byte
}

func (s *scriptCard) TransmitRaw(cmd []byte) ([]byte, error) {
	s.sent = append(s.sent, append([]byte(nil), cmd...))
	if len(s.answers) == 0 {
		return nil, ErrCardRemoved
	}
	a := s.answers[0]
	s.answers = s.answers[1:]
	return a, nil
}

func TestExchangeFollowsGetResponse(t *testing.T) {
	card := &scriptCard{answers: [][]byte{{0x61, 0x02}, {1, 2, 0x61, 0x01}, {3, 0x90, 0x00}}}
	resp, err := Exchange(card, Command{INS: 0x2A, Data: []byte{9}, Le: NoLe})
	if err != nil || !bytes.Equal(resp.Data, []byte{1, 2, 3}) || resp.SW != OK {
		t.Fatalf("got %X %v %v", resp.Data, resp.SW, err)
	}
	if !bytes.Equal(card.sent[1], []byte{0, 0xC0, 0, 0, 2}) || !bytes.Equal(card.sent[2], []byte{0, 0xC0, 0, 0, 1}) {
		t.Errorf("GET RESPONSE commands % X", card.sent[1:])
	}
}

func TestExchangeResendsOnWrongLe(t *testing.T) {
	WrongLeDelay = 0
	card := &scriptCard{answers: [][]byte{{0x6C, 0x03}, {7, 8, 9, 0x90, 0x00}}}
	resp, err := Exchange(card, Command{INS: 0xB0, Le: 256})
	if err != nil || !bytes.Equal(resp.Data, []byte{7, 8, 9}) {
		t.Fatalf("got %X %v", resp.Data, err)
	}
	if !bytes.Equal(card.sent[1], []byte{0, 0xB0, 0, 0, 3}) {
		t.Errorf("re-sent % X, want Le 03", card.sent[1])
	}
}

func TestExchangeErrors(t *testing.T) {
	endless := &scriptCard{}
	for i := 0; i < 100; i++ {
		endless.answers = append(endless.answers, []byte{0x61, 0x01})
	}
	if _, err := Exchange(endless, Command{INS: 0x2A, Le: NoLe}); err == nil {
		t.Error("an endless 61xx chain was followed without error")
	}
	if _, err := Exchange(&scriptCard{answers: [][]byte{{0x90}}}, Command{Le: NoLe}); err == nil {
		t.Error("a 1-byte response was accepted")
	}
	removed := &scriptCard{answers: [][]byte{{0x61, 0x10}}}
	if _, err := Exchange(removed, Command{Le: NoLe}); !errors.Is(err, ErrCardRemoved) {
		t.Errorf("removal during GET RESPONSE: %v", err)
	}
}

func TestStatusWords(t *testing.T) {
	if n, ok := Status(0x63C2).TriesLeft(); !ok || n != 2 {
		t.Errorf("63C2: %d %v", n, ok)
	}
	if n, ok := Status(0x6100).MoreData(); !ok || n != 256 {
		t.Errorf("6100: %d %v", n, ok)
	}
	if _, ok := Status(0x9000).WrongLe(); ok {
		t.Error("9000 read as 6Cxx")
	}
	err := error(AuthMethodBlocked)
	if sw, ok := StatusOf(err); !ok || sw != 0x6983 || !errors.Is(err, AuthMethodBlocked) {
		t.Errorf("StatusOf(%v) = %v %v", err, sw, ok)
	}
	if (Response{SW: OK}).Err() != nil || (Response{SW: FileNotFound}).Err() == nil {
		t.Error("Response.Err does not follow the status word")
	}
}

func TestTraceRedactsPIN(t *testing.T) {
	var c Counter
	var seen [][]byte
	card := &scriptCard{answers: [][]byte{{0x90, 0x00}, {0x90, 0x00}}}
	tr := Traced(card, func(cmd, resp []byte) { seen = append(seen, cmd); c.Trace(cmd, resp) })
	verify := []byte{0, 0x20, 0, 1, 8, 0x24, 0x12, 0x34, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	if _, err := tr.TransmitRaw(verify); err != nil {
		t.Fatal(err)
	}
	if _, err := tr.TransmitRaw([]byte{0, 0xB0, 0, 0, 4}); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(seen[0], []byte{0x12, 0x34}) || len(seen[0]) != len(verify) {
		t.Errorf("VERIFY traced as % X", seen[0])
	}
	if verify[6] != 0x12 {
		t.Error("redaction changed the command sent to the card")
	}
	if n, sent, recvd := c.Snapshot(); n != 2 || sent != 18 || recvd != 4 {
		t.Errorf("counter %d APDUs %d/%d bytes", n, sent, recvd)
	}
}
