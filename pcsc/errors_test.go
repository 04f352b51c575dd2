package pcsc

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/apdu"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		code scError
		want error // nil: no sentinel, only the PC/SC code
	}{
		{scErrNoService, ErrNoService},
		{scErrServiceStopped, ErrNoService},
		{scErrNoReadersAvailable, ErrNoReaders},
		{scErrNoSmartcard, ErrNoCard},
		{scErrSharingViolation, ErrCardBusy},
		{scErrReaderUnavailable, ErrReaderGone},
		{scErrUnknownReader, ErrReaderGone},
		{scErrRemovedCard, apdu.ErrCardRemoved},
		{scErrResetCard, apdu.ErrCardReset},
		{scErrUnresponsiveCard, ErrCardMute},
		{scErrUnpoweredCard, ErrCardMute},
		{scErrInvalidHandle, ErrConnectionLost},
		{scErrCommError, nil},
		{scErrProtoMismatch, nil},
	}
	all := []error{ErrNoService, ErrNoReaders, ErrNoCard, ErrCardBusy, ErrReaderGone,
		apdu.ErrCardRemoved, apdu.ErrCardReset, ErrCardMute, ErrConnectionLost}
	for _, tt := range tests {
		err := wrap("list readers", tt.code)
		if !errors.Is(err, tt.code) {
			t.Errorf("%v: the PC/SC code is not wrapped: %v", tt.code, err)
		}
		if !strings.HasPrefix(err.Error(), "pcsc: list readers: ") {
			t.Errorf("%v: message %q lacks the operation", tt.code, err)
		}
		for _, s := range all {
			if got := errors.Is(err, s); got != (s == tt.want) {
				t.Errorf("wrap(%v): errors.Is(%q) = %v", tt.code, s, got)
			}
		}
	}
}

func TestWrapCard(t *testing.T) {
	tests := []struct {
		code scError
		want []error
	}{
		{scErrNoSmartcard, []error{apdu.ErrCardRemoved}},
		{scErrReaderUnavailable, []error{ErrReaderGone, apdu.ErrCardRemoved}},
		{scErrNoService, []error{ErrConnectionLost}},
		{scErrServiceStopped, []error{ErrConnectionLost}},
		{scErrInvalidHandle, []error{ErrConnectionLost}},
		{scErrRemovedCard, []error{apdu.ErrCardRemoved}},
		{scErrSharingViolation, []error{ErrCardBusy}},
	}
	for _, tt := range tests {
		err := wrapCard("transmit", tt.code)
		for _, w := range tt.want {
			if !errors.Is(err, w) {
				t.Errorf("wrapCard(%v) = %v, does not match %q", tt.code, err, w)
			}
		}
		if errors.Is(err, ErrNoService) || errors.Is(err, ErrNoCard) {
			t.Errorf("wrapCard(%v) = %v reads as a context-level failure", tt.code, err)
		}
	}
	if err := wrapCard("transmit", io.ErrUnexpectedEOF); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a non-PC/SC error is lost: %v", err)
	}
}

func TestContextDead(t *testing.T) {
	tests := []struct {
		err                 error
		forContext, forCard bool
	}{
		{scErrNoService, true, true},
		{scErrServiceStopped, true, true},
		{scErrInvalidHandle, true, true},
		{scErrCommError, true, false},
		{scErrRemovedCard, false, false},
		{scErrNoReadersAvailable, false, false},
		{errors.New("other"), false, false},
		{nil, false, false},
	}
	for _, tt := range tests {
		if got := contextDead(tt.err, true); got != tt.forContext {
			t.Errorf("contextDead(%v, context call) = %v", tt.err, got)
		}
		if got := contextDead(tt.err, false); got != tt.forCard {
			t.Errorf("contextDead(%v, card call) = %v", tt.err, got)
		}
	}
}

func TestNoServiceHint(t *testing.T) {
	msg := wrap("establish", scErrNoService).Error()
	for _, want := range []string{"pcscd is not running", "systemctl start pcscd"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
