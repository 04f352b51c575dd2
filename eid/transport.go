// Package eid speaks the Belgian eID card protocol (BELPIC applets 1.7 and
// 1.8): it recognises the card, reads and parses its files and verifies
// their National Register signatures. It reaches a card only through the
// Transport interface, so the same code runs over PC/SC, over the
// in-process virtual card, and (for the parsers) on a web server.
package eid

import (
	"sync"

	"github.com/eidbridge/eidbridge/apdu"
)

// Transport is one connection to one card.
type Transport interface {
	// Transmit sends cmd with the T=0 rules applied (61xx is followed with
	// GET RESPONSE, 6Cxx re-sent); the response's status word is returned
	// as is. Errors are transport failures (see apdu.ErrCardRemoved).
	Transmit(cmd apdu.Command) (apdu.Response, error)
	// Transaction runs fn while holding the card exclusively, so that no
	// other application's APDU lands inside a multi-APDU operation.
	Transaction(fn func() error) error
}

// OverRaw makes a Transport of a raw transmitter such as the in-process
// virtual card; transactions are a mutex, since nothing else shares it.
func OverRaw(t apdu.RawTransmitter) Transport {
	return &rawTransport{t: t}
}

type rawTransport struct {
	mu sync.Mutex
	t  apdu.RawTransmitter
}

func (r *rawTransport) Transmit(cmd apdu.Command) (apdu.Response, error) {
	return apdu.Exchange(r.t, cmd)
}

func (r *rawTransport) Transaction(fn func() error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return fn()
}
