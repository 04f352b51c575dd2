package virtualcard

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/eidbridge/eidbridge/apdu"
)

// SELECT FILE P1 values and the P2 that asks for no FCI (beid-card.md §3.2).
const (
	selectByFID  = 0x02
	selectByAID  = 0x04
	selectByPath = 0x08
	selectNoFCI  = 0x0C
	selectFCI    = 0x00
	selectMaxAID = 16
)

// Paths of the directories, as upper-case hex like the Files keys.
const (
	fsMF     = "3F00"
	fsBelpic = "3F00DF00"
	fsID     = "3F00DF01"
)

// AIDs of beid-card.md §1.2.
var (
	selectAIDApplet  = []byte{0xA0, 0x00, 0x00, 0x00, 0x30, 0x29, 0x05, 0x70, 0x00, 0xAD, 0x13, 0x10, 0x01, 0x01, 0xFF}
	selectAIDBelpic  = []byte{0xA0, 0x00, 0x00, 0x01, 0x77, 0x50, 0x4B, 0x43, 0x53, 0x2D, 0x31, 0x35}
	selectAIDIDFiles = []byte{0xA0, 0x00, 0x00, 0x01, 0x77, 0x49, 0x64, 0x46, 0x69, 0x6C, 0x65, 0x73}
)

// selectFile is SELECT FILE. The card never returns an FCI, so a file
// select must say P2 = 0C; only the applet select also takes P2 = 00,
// which every middleware sends, and answers it with a bare 9000 (what the
// real FCI holds is unknown). A failed select leaves the current file
// unchanged. Data whose length cannot fit P1 (an AID over 16 bytes, a FID
// not 2 bytes, an empty or odd path) is 6A87, as the manuals list; 6A86
// stays for a bad P1 or P2.
func (k *Card) selectFile(cmd apdu.Command) []byte {
	switch cmd.P1 {
	case selectByAID:
		return k.selectAID(cmd)
	case selectByFID:
		return k.selectFID(cmd)
	case selectByPath:
		return k.selectPath(cmd)
	}
	return swOnly(apdu.IncorrectP1P2InData)
}

// selectAID selects the applet, one of its two DFs, or with an empty AID
// the card manager (§1.2). Partial AIDs are not matched.
func (k *Card) selectAID(cmd apdu.Command) []byte {
	aid := cmd.Data
	switch {
	case len(aid) > selectMaxAID:
		return swOnly(apdu.LcInconsistent)
	case cmd.P2 != selectNoFCI && cmd.P2 != selectFCI:
		return swOnly(apdu.IncorrectP1P2InData)
	case len(aid) == 0:
		k.s.isd = true
		k.s.df, k.s.ef = fsMF, ""
		return swOnly(apdu.OK)
	case bytes.Equal(aid, selectAIDApplet):
		// Re-selecting the applet moves to the MF. Whether it also drops
		// PIN rights is not documented; keeping them matches a card whose
		// applet simply stays selected.
		k.s.isd = false
		k.s.df, k.s.ef = fsMF, ""
		return swOnly(apdu.OK)
	case k.s.isd:
		return swOnly(apdu.FileNotFound) // the card manager knows no such applet
	case bytes.Equal(aid, selectAIDBelpic):
		return k.selectDFByName(cmd, fsBelpic)
	case bytes.Equal(aid, selectAIDIDFiles):
		return k.selectDFByName(cmd, fsID)
	}
	return swOnly(apdu.FileNotFound)
}

func (k *Card) selectDFByName(cmd apdu.Command, df string) []byte {
	if cmd.P2 != selectNoFCI {
		return swOnly(apdu.IncorrectP1P2InData)
	}
	k.s.df, k.s.ef = df, ""
	return swOnly(apdu.OK)
}

// selectFID selects 3F00 or a child of the current DF. Parents and
// sibling DFs are not searched: clients walk from 3F00 (§3.2, §3.10).
func (k *Card) selectFID(cmd apdu.Command) []byte {
	if len(cmd.Data) != 2 {
		return swOnly(apdu.LcInconsistent)
	}
	if cmd.P2 != selectNoFCI {
		return swOnly(apdu.IncorrectP1P2InData)
	}
	fid := fmt.Sprintf("%X", cmd.Data)
	if fid == fsMF {
		return k.selectResolved(fsMF)
	}
	return k.selectResolved(k.s.df + fid)
}

// selectPath takes an absolute path with or without the leading 3F00:
// the spec describes the MF-less form, clients all send 3F00 (§3.2).
func (k *Card) selectPath(cmd apdu.Command) []byte {
	if len(cmd.Data) == 0 || len(cmd.Data)%2 != 0 {
		return swOnly(apdu.LcInconsistent)
	}
	if cmd.P2 != selectNoFCI {
		return swOnly(apdu.IncorrectP1P2InData)
	}
	path := fmt.Sprintf("%X", cmd.Data)
	if !strings.HasPrefix(path, fsMF) {
		path = fsMF + path
	}
	return k.selectResolved(path)
}

// selectResolved makes path current: a DF becomes the current DF with no
// current EF; an EF becomes the current EF and its parent the current DF,
// which eid-mw's select-by-FID shortcut relies on.
func (k *Card) selectResolved(path string) []byte {
	if k.isDF(path) {
		k.s.df, k.s.ef = path, ""
		return swOnly(apdu.OK)
	}
	if _, ok := k.content.Files[path]; ok && len(path) > len(fsMF) {
		k.s.df, k.s.ef = path[:len(path)-4], path
		return swOnly(apdu.OK)
	}
	return swOnly(apdu.FileNotFound)
}

// isDF reports a directory: the MF and the two BELPIC DFs always exist;
// any other is implied by a file below it.
func (k *Card) isDF(path string) bool {
	switch path {
	case fsMF, fsBelpic, fsID:
		return true
	}
	for p := range k.content.Files {
		if len(p) > len(path) && strings.HasPrefix(p, path) {
			return true
		}
	}
	return false
}
