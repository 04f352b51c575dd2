package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// session is the volatile state that a reset, power cycle or removal
// clears: applet selected, MF current, no SE, no PIN rights, nothing
// waiting for GET RESPONSE (beid-card.md §9 item 2).
type session struct {
	isd    bool   // the card manager is selected instead of the applet
	df, ef string // current DF and EF as upper-case hex paths; ef "" = none

	seKey, seAlg byte // set by MSE; seKey 0 = no SE, 81 = an SE no PSO may use

	chv       bool // "PIN once" right of the authentication key
	nonrep    bool // one-shot "PIN just before" right of the non-rep key
	nonrepAge int  // commands received since the one-shot right was granted

	pending []byte // response data waiting for GET RESPONSE
}

func (s *session) reset() { *s = session{df: fsMF} }

// Instruction bytes.
const (
	insSelect       = 0xA4
	insReadBinary   = 0xB0
	insReadRecord   = 0xB2
	insGetResponse  = 0xC0
	insVerify       = 0x20
	insChangeRef    = 0x24
	insResetCounter = 0x2C
	insMSE          = 0x22
	insPSO          = 0x2A
	insInternalAuth = 0x88
	insGetChallenge = 0x84
	insGetCardData  = 0xE4
	insLogOff       = 0xE6
	insUpdateBinary = 0xD6
	claISO          = 0x00
	claProprietary  = 0x80
)

// cardCommand is one entry of the instruction table.
type cardCommand struct {
	cla byte
	run func(*Card, apdu.Command) []byte
	// noData marks case 1 and 2 commands: a data field is a length error.
	noData bool
}

var cardCommands = map[byte]cardCommand{
	insSelect:       {cla: claISO, run: (*Card).selectFile},
	insReadBinary:   {cla: claISO, run: (*Card).readBinary, noData: true},
	insReadRecord:   {cla: claProprietary, run: (*Card).readRecord, noData: true},
	insGetResponse:  {cla: claISO, run: (*Card).getResponse, noData: true},
	insVerify:       {cla: claISO, run: (*Card).verify},
	insChangeRef:    {cla: claISO, run: (*Card).changeReferenceData},
	insResetCounter: {cla: claISO, run: (*Card).resetRetryCounter},
	insMSE:          {cla: claISO, run: (*Card).manageSE},
	insPSO:          {cla: claISO, run: (*Card).computeSignature},
	insInternalAuth: {cla: claISO, run: (*Card).internalAuthenticate},
	insGetChallenge: {cla: claISO, run: (*Card).getChallenge, noData: true},
	insGetCardData:  {cla: claProprietary, run: (*Card).getCardData, noData: true},
	insLogOff:       {cla: claProprietary, run: (*Card).logOff, noData: true},
	insUpdateBinary: {cla: claISO, run: (*Card).updateBinary},
}

// process answers one raw APDU; the caller holds the lock.
func (k *Card) process(raw []byte) []byte {
	k.ageNonRep()
	cmd, err := apdu.ParseCommand(raw)
	if err != nil {
		k.s.pending = nil
		return swOnly(apdu.WrongLength) // shorter than a header, or Lc mismatch
	}
	if cmd.CLA != claISO || cmd.INS != insGetResponse {
		// Response data survives only until the next command (ISO 7816-3).
		k.s.pending = nil
	}
	if sw, ok := checkCLA(cmd.CLA); !ok {
		return swOnly(sw)
	}
	if k.s.isd {
		return k.cardManager(cmd)
	}
	c, ok := cardCommands[cmd.INS]
	switch {
	case !ok:
		return swOnly(apdu.INSNotSupported)
	case cmd.CLA != c.cla:
		return swOnly(apdu.CLANotSupported)
	case c.noData && len(cmd.Data) > 0:
		return swOnly(apdu.WrongLength)
	}
	return c.run(k, cmd)
}

// checkCLA accepts the two classes the applet uses on the basic channel.
// A logical-channel number gets 6881, which 1.8 gives for other channels.
func checkCLA(cla byte) (apdu.Status, bool) {
	switch {
	case cla == claISO || cla == claProprietary:
		return apdu.OK, true
	case cla&^0x83 == 0: // 01..03 or 81..83: logical channels 1 to 3
		return apdu.ChannelNotSupported, false
	}
	return apdu.CLANotSupported, false
}

// cardManager answers while the card manager is selected (after SELECT
// with an empty AID, §1.2): it only selects applets by AID; a BELPIC
// command gets 6D00 and a file select 6A82, the answers eid-mw reads as
// "another applet is selected" and recovers from by re-selecting BELPIC.
func (k *Card) cardManager(cmd apdu.Command) []byte {
	switch {
	case cmd.CLA != claISO || cmd.INS != insSelect:
		return swOnly(apdu.INSNotSupported)
	case cmd.P1 == selectByAID:
		return k.selectAID(cmd)
	}
	return swOnly(apdu.FileNotFound)
}

// ageNonRep counts commands since a non-rep VERIFY. Applet 1.7 wants the
// PSO directly after the VERIFY; 1.8 tolerates one command in between
// (beid-card.md §3.7, inferred model). The PSO itself is the last one
// counted, so the window is 1 or 2 commands.
func (k *Card) ageNonRep() {
	if !k.s.nonrep {
		return
	}
	k.s.nonrepAge++
	window := 1
	if k.is18() {
		window = 2
	}
	if k.s.nonrepAge > window {
		k.s.nonrep = false
	}
}
