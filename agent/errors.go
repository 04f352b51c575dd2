package agent

import (
	"errors"
	"fmt"
)

// Code is a protocol error code.
type Code string

// The error codes of the protocol; docs/protocol.md explains each.
const (
	CodeInvalidRequest      Code = "INVALID_REQUEST"
	CodeUnknownOperation    Code = "UNKNOWN_OPERATION"
	CodeNoReader            Code = "NO_READER"
	CodeNoCard              Code = "NO_CARD"
	CodeUnsupportedCard     Code = "UNSUPPORTED_CARD"
	CodeCardRemoved         Code = "CARD_REMOVED"
	CodePINBlocked          Code = "PIN_BLOCKED"
	CodeUserCancelled       Code = "USER_CANCELLED"
	CodeUserTimeout         Code = "USER_TIMEOUT"
	CodeActionPending       Code = "ACTION_PENDING"
	CodeBusy                Code = "BUSY"
	CodeCertificateMismatch Code = "CERTIFICATE_MISMATCH"
	CodeRateLimited         Code = "RATE_LIMITED"
	CodeInternal            Code = "INTERNAL"
)

// messages are the plain-language defaults, written for the citizen
// because pages tend to show them as they are.
var messages = map[Code]string{
	CodeInvalidRequest:      "The website sent a request eidbridge cannot understand.",
	CodeUnknownOperation:    "The website asked for an operation eidbridge does not know.",
	CodeNoReader:            "No card reader is connected. Connect your reader and insert your eID card.",
	CodeNoCard:              "No eID card is in the reader. Insert your eID card.",
	CodeUnsupportedCard:     "The card in the reader is not a Belgian eID card that eidbridge can use.",
	CodeCardRemoved:         "The card was removed before the operation finished. Insert it and try again.",
	CodePINBlocked:          "Your PIN is blocked after three wrong attempts. Your municipality can unblock it with your PUK code.",
	CodeUserCancelled:       "The operation was cancelled.",
	CodeUserTimeout:         "No answer was given in time, so the operation was stopped.",
	CodeActionPending:       "This page already has an operation waiting for you. Finish or cancel it first.",
	CodeBusy:                "Your eID card is being used for another request. Try again when it is done.",
	CodeCertificateMismatch: "The certificate the website gave is not the one on the card in the reader.",
	CodeRateLimited:         "The website sent too many requests. Wait a moment and try again.",
	CodeInternal:            "Something went wrong inside eidbridge. Try again; its log has the details.",
}

// Codes lists every error code, in documentation order.
func Codes() []Code {
	return []Code{CodeInvalidRequest, CodeUnknownOperation, CodeNoReader, CodeNoCard,
		CodeUnsupportedCard, CodeCardRemoved, CodePINBlocked, CodeUserCancelled, CodeUserTimeout,
		CodeActionPending, CodeBusy, CodeCertificateMismatch, CodeRateLimited, CodeInternal}
}

// Error is the error object of a reply. It is also a Go error so that
// operations can return it directly.
type Error struct {
	Code    Code   `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// newError is code with its default message.
func newError(code Code) *Error { return &Error{Code: code, Message: messages[code]} }

// errorf is code with a specific message. The message goes to the page,
// so it must never hold a PIN or identity data.
func errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// invalid is INVALID_REQUEST saying what is wrong.
func invalid(format string, args ...any) *Error {
	return errorf(CodeInvalidRequest, "Invalid request: "+format, args...)
}

// Errors the card seam (Cards) returns, which the agent maps to codes.
var (
	ErrNoReader        = errors.New("no card reader is connected")
	ErrNoCard          = errors.New("no card in any reader")
	ErrUnsupportedCard = errors.New("the card is not a usable Belgian eID")
	ErrCardBusy        = errors.New("another application holds the card")
	ErrCardGone        = errors.New("the card was removed")
)

// Causes the agent gives to an operation's context when it ends it.
var (
	errCardRemoved  = errors.New("the card was removed during the operation")
	errPageCancel   = errors.New("the page cancelled the request")
	errDialogTimout = errors.New("the citizen did not answer in time")
	errShutdown     = errors.New("eidbridge is shutting down")
	errConnClosed   = errors.New("the page closed the connection")
)
