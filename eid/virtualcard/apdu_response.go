package virtualcard

import "github.com/eidbridge/eidbridge/apdu"

// shortMaxData is what one short response carries (Le = 00).
const shortMaxData = 256

func swOnly(sw apdu.Status) []byte { return []byte{sw.SW1(), sw.SW2()} }

// swData is data followed by 9000.
func swData(data []byte) []byte {
	out := make([]byte, 0, len(data)+2)
	out = append(out, data...)
	return append(out, 0x90, 0x00)
}

// swLenByte encodes a length 1..256 as SW2 of 61xx or 6Cxx (256 is 00).
func swLenByte(n int) byte { return byte(n) }

func swWrongLe(n int) []byte { return []byte{0x6C, swLenByte(n)} }

// caseTwoLe is the Le of a case 2 command. Under T=0 the card only ever sees
// P3, and a missing Le reaches it as P3 = 00, which means 256.
func caseTwoLe(cmd apdu.Command) int {
	if cmd.Le == apdu.NoLe {
		return shortMaxData
	}
	return cmd.Le
}

// answerExact answers a case 2 command whose data has a fixed length:
// the data when Le matches, 6C<length> otherwise (GET CARD DATA).
func answerExact(cmd apdu.Command, data []byte) []byte {
	if caseTwoLe(cmd) != len(data) {
		return swWrongLe(len(data))
	}
	return swData(data)
}

// respondLater is the T=0 answer of a case 4 command: the card keeps the
// data and says 61xx; the host fetches it with GET RESPONSE.
func (k *Card) respondLater(data []byte) []byte {
	k.s.pending = data
	return []byte{0x61, swLenByte(min(len(data), shortMaxData))}
}

// chain sends the first 256 bytes of a long case 2 answer with 61xx and
// keeps the rest for GET RESPONSE (beid-card.md §3.9).
func (k *Card) chain(data []byte) []byte {
	if len(data) <= shortMaxData {
		return swData(data)
	}
	k.s.pending = data[shortMaxData:]
	out := append([]byte(nil), data[:shortMaxData]...)
	return append(out, 0x61, swLenByte(min(len(k.s.pending), shortMaxData)))
}

// getResponse (00 C0 00 00 Le) serves data kept by respondLater or
// chain. A shorter Le takes part of it and leaves 61xx for the rest; a
// longer one gets 6C<available> and, as the spec says, keeps the data.
func (k *Card) getResponse(cmd apdu.Command) []byte {
	if cmd.P1 != 0 || cmd.P2 != 0 {
		k.s.pending = nil
		return swOnly(apdu.IncorrectP1P2InData)
	}
	data := k.s.pending
	if len(data) == 0 {
		return swOnly(apdu.ConditionsNotMet)
	}
	le := caseTwoLe(cmd)
	if le > len(data) {
		return swWrongLe(len(data))
	}
	k.s.pending = nil
	if le == len(data) {
		return swData(data)
	}
	k.s.pending = data[le:]
	out := append([]byte(nil), data[:le]...)
	return append(out, 0x61, swLenByte(min(len(k.s.pending), shortMaxData)))
}
