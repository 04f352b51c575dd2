package virtualcard

import "testing"

// FuzzProcess feeds arbitrary APDUs, after a few that set up state, and
// checks that the card always answers with at least a status word.
func FuzzProcess(f *testing.F) {
	seeds := []string{
		"", "00", "00 A4", "00 A4 04 00", "00 A4 08 0C 06 3F 00 DF 01 40 31",
		"00 B0 00 00 00", "80 B2 01 0F 00", "80 E4 00 01 1F", "00 C0 00 00 60",
		ptVerify1234, ptMSENonRep, "00 22 41 B6 05 04 80 40 84 82", "00 22 41 B6 05 04 80 02 84 81",
		"00 2A 9E 9A 14 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 10 11 12 13",
		"00 88 02 81 02 94 00", "00 88 02 81 04 94 82 00 00", "00 24 00 01 10 24 12 34 FF FF FF FF FF 24 56 78 FF FF FF FF FF",
	}
	for _, s := range seeds {
		f.Add(ptHex(f, s), false)
	}
	cards := map[bool]*Card{false: ptCard(f, Applet17), true: ptCard(f, Applet18)}
	setup := []string{ptMSEAuth, ptVerify1234, "00 A4 08 0C 06 3F 00 DF 01 40 31"}
	f.Fuzz(func(t *testing.T, cmd []byte, ec bool) {
		k := cards[ec]
		k.content.PIN, k.content.PINTries = []byte("1234"), 3 // undo a fuzzed CHANGE or block
		for _, s := range setup {
			k.Process(ptHex(t, s))
		}
		if resp := k.Process(cmd); len(resp) < 2 {
			t.Fatalf("% X answered % X: no status word", cmd, resp)
		}
		if resp := k.Process([]byte{0x00, 0xC0, 0x00, 0x00, 0x00}); len(resp) < 2 {
			t.Fatalf("GET RESPONSE after % X answered % X", cmd, resp)
		}
		k.Reset()
	})
}
