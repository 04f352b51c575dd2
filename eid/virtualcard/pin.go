package virtualcard

import (
	"crypto/subtle"

	"github.com/eidbridge/eidbridge/apdu"
)

const (
	chvRef      = 0x01 // the cardholder PIN
	chvMaxTries = 3
)

// verify is VERIFY (00 20 00 01 [08 block]). Without data it is the 1.7
// and 1.8 status query that never decrements: 9000 when a right is held,
// 63Cx otherwise, 6983 when blocked (§3.4). A correct PIN grants the
// non-rep one-shot right when the SE selects key 83 and the persistent
// right otherwise (§3.7); it leaves an earlier persistent right alone,
// since the spec says authentication rights survive a non-rep sequence.
func (k *Card) verify(cmd apdu.Command) []byte {
	if sw := checkCHVRef(cmd); sw != apdu.OK {
		return swOnly(sw)
	}
	if len(cmd.Data) == 0 {
		return swOnly(k.pinStatus())
	}
	if len(cmd.Data) != chvBlockLen {
		return swOnly(apdu.WrongLength)
	}
	if k.pinTries() == 0 {
		return swOnly(apdu.AuthMethodBlocked)
	}
	pin, ok := parseCHVBlock(cmd.Data)
	if !ok {
		return swOnly(apdu.IncorrectData)
	}
	if sw := k.checkPIN(pin); sw != apdu.OK {
		return swOnly(sw)
	}
	if k.s.seKey == refNonRepKey {
		k.s.nonrep, k.s.nonrepAge = true, 0
	} else {
		k.s.chv = true
	}
	return swOnly(apdu.OK)
}

// changeReferenceData is CHANGE REFERENCE DATA (00 24 00 01 10 old‖new).
// Success grants the persistent right and stores the new PIN; if the
// store fails the old PIN stays and the card answers 6581.
func (k *Card) changeReferenceData(cmd apdu.Command) []byte {
	if sw := checkCHVRef(cmd); sw != apdu.OK {
		return swOnly(sw)
	}
	if len(cmd.Data) != 2*chvBlockLen {
		return swOnly(apdu.WrongLength)
	}
	if k.pinTries() == 0 {
		return swOnly(apdu.AuthMethodBlocked)
	}
	old, ok1 := parseCHVBlock(cmd.Data[:chvBlockLen])
	pin, ok2 := parseCHVBlock(cmd.Data[chvBlockLen:])
	if !ok1 || !ok2 {
		return swOnly(apdu.IncorrectData)
	}
	if sw := k.checkPIN(old); sw != apdu.OK {
		return swOnly(sw)
	}
	prev := k.content.PIN
	k.content.PIN = pin
	if k.save() != nil {
		k.content.PIN = prev
		return swOnly(apdu.MemoryFailure)
	}
	k.s.chv = true
	return swOnly(apdu.OK)
}

func checkCHVRef(cmd apdu.Command) apdu.Status {
	if cmd.P1 != 0 {
		return apdu.IncorrectP1P2InData
	}
	if cmd.P2 != chvRef {
		return apdu.ReferenceNotFound
	}
	return apdu.OK
}

func (k *Card) pinStatus() apdu.Status {
	switch {
	case k.pinTries() == 0:
		return apdu.AuthMethodBlocked
	case k.s.chv || k.s.nonrep:
		return apdu.OK
	}
	return swTriesLeft(k.pinTries())
}

// checkPIN compares pin with the card's PIN and keeps the counter: a
// wrong PIN costs a try and clears every right (§3.4); a right one
// restores the tries. Each counter change is saved before the answer; a
// failed save answers 6581, and a lost try stays lost.
func (k *Card) checkPIN(pin []byte) apdu.Status {
	tries := k.pinTries()
	if subtle.ConstantTimeCompare(pin, k.content.PIN) != 1 {
		k.dropRights()
		k.content.PINTries = tries - 1
		if k.save() != nil {
			return apdu.MemoryFailure
		}
		if tries == 1 {
			return apdu.AuthMethodBlocked
		}
		return swTriesLeft(tries - 1)
	}
	if tries != chvMaxTries {
		k.content.PINTries = chvMaxTries
		if k.save() != nil {
			k.content.PINTries = tries
			return apdu.MemoryFailure
		}
	}
	return apdu.OK
}

// pinTries is the counter clamped to 0..3, so a damaged profile cannot
// give extra tries or a negative SW nibble.
func (k *Card) pinTries() int {
	return max(0, min(k.content.PINTries, chvMaxTries))
}

func swTriesLeft(n int) apdu.Status { return apdu.Status(0x63C0 | n) }

func (k *Card) dropRights() { k.s.chv, k.s.nonrep = false, false }

func (k *Card) save() error {
	if k.saver == nil {
		return nil
	}
	return k.saver(k.content)
}

// logOff is LOG OFF (80 E6 00 00, with or without Le = 00): it discards
// every PIN right; the SE stays. A wrong P1-P2 is 6B00 (manual tables).
func (k *Card) logOff(cmd apdu.Command) []byte {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		return swOnly(apdu.WrongP1P2)
	}
	k.dropRights()
	return swOnly(apdu.OK)
}

// resetRetryCounter needs an administrator role (municipality), which a
// citizen's reader never holds.
func (k *Card) resetRetryCounter(apdu.Command) []byte {
	return swOnly(apdu.SecurityNotSatisfied)
}
