// Package pcsc reaches real card readers through the platform's PC/SC
// service (pcscd on Linux) with github.com/ebfe/scard, and gives the eid
// package a Transport over them.
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
// While the service is down, Watch retries with a backoff; that is its
// only waiting loop.
package pcsc
