package agent

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
)

// ReaderHandle is how a site sees a reader: a name of its own for it,
// from key, the site's origin and the PC/SC name. PC/SC names can carry
// the reader's USB serial, a stable identifier every allowed site would
// share; a handle differs per site and, with the agent's random key, per
// agent run, so it tells sites apart readers and nothing more.
func ReaderHandle(key []byte, origin, reader string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(origin))
	m.Write([]byte{0})
	m.Write([]byte(reader))
	return "reader-" + hex.EncodeToString(m.Sum(nil)[:6])
}

// newReaderKey is a random key for one agent run.
func newReaderKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

// presenceType is what status and the card events say of a card: a
// Belgian eID or not. The applet generation (1.7 or 1.8, roughly when
// the card was issued) is the card's business until the citizen agrees.
func presenceType(atr []byte) string {
	if CardType(atr) == CardUnknown {
		return CardUnknown
	}
	return CardBeID
}
