package virtualcard

import (
	"bytes"
	"errors"
	"sync"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestATR(t *testing.T) {
	tests := []struct {
		applet byte
		want   string
	}{
		{Applet17, "3B 98 13 40 0A A5 03 01 01 01 AD 13 11"},
		{Applet18, "3B 7F 96 00 00 80 31 80 65 B0 85 04 01 20 12 0F FF 82 90 00"},
	}
	for _, tt := range tests {
		k := ptCard(t, tt.applet)
		if got := k.ATR(); !bytes.Equal(got, ptHex(t, tt.want)) {
			t.Errorf("applet %02X: ATR % X, want %s", tt.applet, got, tt.want)
		}
		k.ATR()[0] = 0 // the card must hand out copies
		if k.ATR()[0] != 0x3B {
			t.Errorf("applet %02X: ATR changed through a returned slice", tt.applet)
		}
	}
}

// Every way back to the reset state drops the file position, the SE, the
// PIN rights and data waiting for GET RESPONSE.
func TestResetState(t *testing.T) {
	resets := map[string]func(*Card){
		"Reset": (*Card).Reset, "PowerOn": (*Card).PowerOn,
		"PowerOff": (*Card).PowerOff, "Insert": (*Card).Insert,
	}
	for name, reset := range resets {
		t.Run(name, func(t *testing.T) {
			k := ptCard(t, Applet18)
			ptRun(t, k, []ptStep{
				{"00 A4 08 0C 06 3F 00 DF 01 40 31", 0x9000},
				{ptMSEAuth, 0x9000},
				{ptVerify1234, 0x9000},
				{ptPSO(Applet18), 0x6160},
			})
			reset(k)
			ptRun(t, k, []ptStep{
				{"00 C0 00 00 60", 0x6985},       // pending data dropped
				{"00 B0 00 00 10", 0x6986},       // no current EF
				{ptVerifyQuery, 0x63C3},          // no PIN right
				{ptPSO(Applet18), 0x6985},        // no SE
				{"00 A4 02 0C 02 DF 01", 0x9000}, // MF current again
			})
		})
	}
}

func TestRemoveAndInsert(t *testing.T) {
	k := ptCard(t, Applet17)
	k.Remove()
	if _, err := k.TransmitRaw(ptHex(t, ptCardData)); !errors.Is(err, apdu.ErrCardRemoved) {
		t.Fatalf("transmit to a removed card: err %v, want ErrCardRemoved", err)
	}
	if got := k.Process(ptHex(t, ptCardData)); !bytes.Equal(got, []byte{0x6F, 0x00}) {
		t.Errorf("Process on a removed card: % X, want 6F 00", got)
	}
	k.Insert()
	if sw := ptSW(t, k, ptCardData); sw != 0x9000 {
		t.Errorf("after Insert: %04X, want 9000", sw)
	}
}

func TestRemoveAfter(t *testing.T) {
	for _, n := range []int{0, 1, 3} {
		k := ptCard(t, Applet17)
		k.RemoveAfter(n)
		answered := 0
		for i := 0; i < 5; i++ {
			if _, err := k.TransmitRaw(ptHex(t, ptCardData)); err != nil {
				if !errors.Is(err, apdu.ErrCardRemoved) {
					t.Fatalf("n=%d: err %v, want ErrCardRemoved", n, err)
				}
				break
			}
			answered++
		}
		if answered != n {
			t.Errorf("RemoveAfter(%d): %d APDUs answered", n, answered)
		}
	}
	k := ptCard(t, Applet17)
	k.RemoveAfter(1)
	k.Insert() // cancels the scheduled removal
	for i := 0; i < 3; i++ {
		ptSW(t, k, ptCardData)
	}
}

func TestTracerSeesRedactedCommands(t *testing.T) {
	var mu sync.Mutex
	var cmds, resps [][]byte
	tracer := func(cmd, resp []byte) {
		mu.Lock()
		defer mu.Unlock()
		cmds, resps = append(cmds, cmd), append(resps, resp)
	}
	k := ptCard(t, Applet17, WithTracer(tracer))
	ptRun(t, k, []ptStep{{ptVerify1234, 0x9000}, {ptCardData, 0x9000}})
	if len(cmds) != 2 {
		t.Fatalf("tracer saw %d commands, want 2", len(cmds))
	}
	if bytes.Contains(cmds[0], []byte{0x12, 0x34}) || !bytes.Equal(cmds[0][:5], ptHex(t, "00 20 00 01 08")) {
		t.Errorf("VERIFY traced as % X: PIN not redacted", cmds[0])
	}
	if len(resps[1]) != 30 || !bytes.Equal(resps[1][28:], []byte{0x90, 0x00}) {
		t.Errorf("GET CARD DATA traced response % X", resps[1])
	}
	k.SetTracer(nil)
	ptSW(t, k, ptCardData)
	k.Process(ptHex(t, ptCardData))
	if len(cmds) != 2 {
		t.Errorf("tracer called after SetTracer(nil)")
	}
	var c apdu.Counter
	k.SetTracer(c.Trace)
	k.Process(ptHex(t, ptCardData))
	if n, _, _ := c.Snapshot(); n != 1 {
		t.Errorf("Process traced %d APDUs, want 1", n)
	}
}

// Run with -race: the card serialises concurrent users.
func TestConcurrentUse(t *testing.T) {
	k := ptCard(t, Applet18)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				resp := k.Process(ptHex(t, "00 A4 08 0C 06 3F 00 DF 01 40 35"))
				if len(resp) != 2 {
					t.Errorf("select answered % X", resp)
				}
				k.Process(ptHex(t, "00 B0 00 00 00"))
				k.Reset()
			}
		}()
	}
	wg.Wait()
}
