// Package pcsc reaches real card readers through the platform's PC/SC
// service (pcscd on Linux, the PCSC framework on macOS, WinSCard on
// Windows) and gives the eid package a Transport over them.
//
// # Backends
//
// Two backends reach the PC/SC library; the build picks one and the rest
// of the package sees only its own PC/SC types and scError codes.
//
//   - github.com/ebfe/scard (backend_scard.go) on Linux (cgo against
//     pcsc-lite), on Windows (no cgo needed) and on a Mac when built there
//     with cgo.
//   - github.com/ebitengine/purego (backend_purego.go) on macOS and Linux
//     built without cgo: scard needs cgo there (and Apple's SDK on a Mac),
//     so a darwin binary cross-built on Linux loads
//     /System/Library/Frameworks/PCSC.framework at run time instead, and a
//     CGO_ENABLED=0 Linux build loads libpcsclite.so.1. The pcsc_purego
//     build tag selects it with cgo too. make test runs this package's
//     tests, through pcscd, with both backends.
//
// The purego backend lays out the C structures itself from a cABI value
// (packed 32-bit fields on macOS, native longs on pcsc-lite), so both
// layouts are unit-tested on any machine. The library is loaded on the
// first context; a missing one reports ErrNoService.
//
// # Connections
//
// A Context lists readers and connects to cards. A Card is opened in
// shared mode with protocol T=0, the only one the Belgian eID speaks (see
// Connect for the T=0|T=1 fallback). Card.Transmit applies the T=0 rules
// of apdu.Exchange (61xx → GET RESPONSE, 6Cxx → re-send with the right
// Le) over Card.TransmitRaw, so *Card is an eid.Transport. An optional
// tracer (Card.SetTracer, WithTracer) sees every raw APDU with PINs
// redacted; tracing is off by default.
//
// # Transactions
//
// Card.Transaction brackets a multi-APDU operation with
// SCardBeginTransaction/SCardEndTransaction so that no other application's
// command lands in between (between VERIFY and the signature, or between
// a command and its GET RESPONSE). A Transmit outside a Transaction takes
// one of its own, since a response chain is itself several APDUs.
//
// # Failures and recovery
//
// PC/SC codes become typed errors (ErrNoService, ErrNoReaders, ErrNoCard,
// ErrCardBusy, ErrReaderGone, ErrCardMute, ErrConnectionLost), and a card
// that leaves or is reset gives an error wrapping apdu.ErrCardRemoved or
// apdu.ErrCardReset. A failure without a definite meaning is checked
// against the card's status, so a card pulled in the middle of an
// exchange reports a removal whatever code the driver chose. After a
// reset by another application the handle is reconnected, so the call
// reports ErrCardReset (the card lost its selected file and verified PIN)
// and the next one works.
//
// When pcscd restarts, the PC/SC context dies (SCARD_E_NO_SERVICE and
// friends). The Context notices on the next call, releases the dead
// context, establishes a new one and retries that call once, so the
// process never has to restart. Cards opened on the dead context report
// ErrConnectionLost; connecting again works.
//
// # Watching readers and cards
//
// Context.Watch turns SCardGetStatusChange into a stream of Events. It
// waits with an infinite timeout on every reader plus the
// `\\?PnP?\Notification` pseudo-reader, feeding back the states (with the
// event counter in their upper 16 bits) that the previous call returned,
// so each call blocks until something changes: no polling. The events are
// computed by pure functions comparing the old and new reader states.
// While the service is down, Watch retries with a backoff. macOS does
// not support the pseudo-reader: there card events still wake the wait
// at once, but readers plugged in or out are seen by reading the reader
// list every second.
package pcsc
