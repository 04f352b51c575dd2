// Package ui is the citizen's side of the agent: the dialogs that ask for
// consent and for the PIN. Every implementation (native dialogs, the
// terminal, an external command) sits behind UI, and nothing that arrives
// on the websocket can answer a question: answers come only from here.
package ui

import (
	"context"
	"errors"
)

// Kind is what a question asks for.
type Kind string

const (
	KindPIN     Kind = "pin"     // the PIN (or, with PINPad, to type it on the reader)
	KindConsent Kind = "consent" // allow or refuse an operation
	// KindSite is the first contact with a site that is not on the
	// allowlist: may it use the card at all? The answer is AnswerOnce or
	// AnswerAlways; refusing is ErrCancelled.
	KindSite Kind = "site"
)

// Answers to a KindSite question.
const (
	AnswerOnce   = "once"   // this time only
	AnswerAlways = "always" // remember the site
)

// Purpose is the operation a website asked for; the dialog words it.
type Purpose string

const (
	PurposeAuthenticate          Purpose = "authenticate"
	PurposeReadIdentity          Purpose = "readIdentity"
	PurposeGetSigningCertificate Purpose = "getSigningCertificate"
	PurposeSign                  Purpose = "sign"
)

// Question is one dialog. Its JSON form is what `exec:` commands read.
type Question struct {
	Kind      Kind    `json:"kind"`
	Origin    string  `json:"origin"`  // the requesting site, shown every time
	Lang      string  `json:"lang"`    // the dialog's language: nl, fr, de or en (PickLang)
	Purpose   Purpose `json:"purpose"` // what will happen
	Holder    string  `json:"holder"`  // the card holder's name
	TriesLeft int     `json:"triesLeft"`
	PINPad    bool    `json:"pinpad"`             // type the PIN on the reader
	WrongPIN  bool    `json:"wrongPin,omitempty"` // the previous PIN was wrong
	// Blocked: the card's PIN is blocked; the dialog says so and what to
	// do before the site is told.
	Blocked bool `json:"blocked,omitempty"`
	// Document is what a sign request says it signs, and Fingerprint a
	// short form of its hash, so the citizen can compare it with what
	// the site shows.
	Document    string `json:"document,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
	// Items is what a readIdentity consent will read ("identity",
	// "address", "photo"), so the citizen agrees to exactly that.
	Items []string `json:"items,omitempty"`
	// SigningCertificate: an authentication that also gives the site the
	// signing certificate (a web-eid:1.1 token); the dialog says so.
	SigningCertificate bool `json:"signingCertificate,omitempty"`
}

// Errors a UI returns when the citizen does not go ahead.
var (
	ErrCancelled = errors.New("ui: the citizen cancelled")
	ErrTimeout   = errors.New("ui: the citizen did not answer in time")
)

// UI asks the citizen.
type UI interface {
	// Ask shows q until the citizen answers or ctx ends (timeout, the page
	// cancelled, the card was pulled). For KindPIN it returns the PIN
	// digits, which the caller wipes after use. For KindConsent a nil
	// error means go ahead; for KindSite the answer is AnswerOnce or
	// AnswerAlways. Refusal is ErrCancelled; no answer in time is
	// ErrTimeout; an ended ctx returns ctx's error.
	//
	// With PINPad set, Ask is a notice ("type your PIN on the reader")
	// shown while the reader collects the PIN: the caller runs it beside
	// the keypad operation and ends ctx when the reader is done; the
	// citizen can only cancel (ErrCancelled).
	Ask(ctx context.Context, q Question) ([]byte, error)
}
