package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ncruces/zenity"
)

// fakeDialogs answers from a script and records what was shown.
type fakeDialogs struct {
	answers []string // password: typed texts, then ErrCanceled
	err     error    // what question and notice return
	calls   []string // "kind|title|text"
	siteAns string   // what site answers when err is nil
}

func (f *fakeDialogs) password(ctx context.Context, title, text string) ([]byte, error) {
	f.calls = append(f.calls, "password|"+title+"|"+text)
	if len(f.answers) == 0 {
		return nil, zenity.ErrCanceled
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	return []byte(a), nil
}

func (f *fakeDialogs) question(ctx context.Context, title, text string) error {
	f.calls = append(f.calls, "question|"+title+"|"+text)
	return f.err
}

func (f *fakeDialogs) notice(ctx context.Context, title, text string) error {
	f.calls = append(f.calls, "notice|"+title+"|"+text)
	if f.err == nil {
		<-ctx.Done()
		return ctx.Err()
	}
	return f.err
}

func (f *fakeDialogs) site(ctx context.Context, title, text string) (string, error) {
	f.calls = append(f.calls, "site|"+title+"|"+text)
	if f.err != nil {
		return "", f.err
	}
	return f.siteAns, nil
}

func TestNativePINReasksMalformed(t *testing.T) {
	f := &fakeDialogs{answers: []string{"12", "12a4", "", "1234567890123", "4321"}}
	pin, err := (&Native{d: f}).Ask(context.Background(), pinQ)
	if err != nil || string(pin) != "4321" {
		t.Fatalf("Ask = %q, %v; want 4321", pin, err)
	}
	if len(f.calls) != 5 {
		t.Fatalf("%d dialogs, want 5", len(f.calls))
	}
	want := "password|" + Title(pinQ) + "|" + Text(pinQ)
	if f.calls[0] != want {
		t.Errorf("first dialog %q, want %q", f.calls[0], want)
	}
	for _, c := range f.calls[1:] {
		if !strings.Contains(c, T("", "pin.malformed")) || !strings.HasSuffix(c, Text(pinQ)) {
			t.Errorf("re-ask %q does not say why or lost the question", c)
		}
	}
}

func TestNativePINGivesUpOnEndlessMalformed(t *testing.T) {
	f := &fakeDialogs{}
	for range 100 {
		f.answers = append(f.answers, "")
	}
	pin, err := (&Native{d: f}).Ask(context.Background(), pinQ)
	if pin != nil || !errors.Is(err, ErrCancelled) || len(f.calls) != maxMalformed {
		t.Errorf("Ask = %q, %v after %d dialogs; want ErrCancelled after %d", pin, err, len(f.calls), maxMalformed)
	}
}

func TestNativePINCancelled(t *testing.T) {
	f := &fakeDialogs{answers: []string{"12"}}
	pin, err := (&Native{d: f}).Ask(context.Background(), pinQ)
	if pin != nil || err != ErrCancelled {
		t.Errorf("Ask = %q, %v; want ErrCancelled", pin, err)
	}
}

func TestNativeConsent(t *testing.T) {
	tests := []struct {
		dialog error
		want   error
	}{
		{nil, nil},
		{zenity.ErrCanceled, ErrCancelled},
	}
	for _, tt := range tests {
		f := &fakeDialogs{err: tt.dialog}
		pin, err := (&Native{d: f}).Ask(context.Background(), consentQ)
		if pin != nil || err != tt.want {
			t.Errorf("dialog %v: Ask = %q, %v; want %v", tt.dialog, pin, err, tt.want)
		}
		if len(f.calls) != 1 || !strings.HasPrefix(f.calls[0], "question|") ||
			!strings.Contains(f.calls[0], Text(consentQ)+"\n\n"+T("", "consent.question")) {
			t.Errorf("dialogs shown: %q", f.calls)
		}
	}
	broken := errors.New("exit status 255: cannot open display")
	_, err := (&Native{d: &fakeDialogs{err: broken}}).Ask(context.Background(), consentQ)
	if !errors.Is(err, broken) || errors.Is(err, ErrCancelled) || !strings.Contains(err.Error(), "dialog failed") {
		t.Errorf("a failing dialog: %v; want a dialog error, not a cancel", err)
	}
}

func TestNativeNotice(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	f := &fakeDialogs{}
	if _, err := (&Native{d: f}).Ask(ctx, noticeQ); err != ErrTimeout {
		t.Errorf("notice past the deadline: %v; want ErrTimeout", err)
	}
	if len(f.calls) != 1 || !strings.Contains(f.calls[0], T("", "pin.pad")) {
		t.Errorf("dialogs shown: %q", f.calls)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	if _, err := (&Native{d: &fakeDialogs{}}).Ask(ctx, noticeQ); err != context.Canceled {
		t.Errorf("notice ended by the caller: %v; want context.Canceled", err)
	}
	f = &fakeDialogs{err: zenity.ErrCanceled}
	if _, err := (&Native{d: f}).Ask(context.Background(), noticeQ); err != ErrCancelled {
		t.Errorf("notice cancelled: %v; want ErrCancelled", err)
	}
}

// A dialog closed by ctx's end reports ctx's error, whatever the
// dialog itself returned.
func TestDialogErrPrefersContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	for _, err := range []error{nil, zenity.ErrCanceled, context.DeadlineExceeded, errors.New("killed")} {
		if got := dialogErr(ctx, err); got != ErrTimeout {
			t.Errorf("dialogErr(expired, %v) = %v; want ErrTimeout", err, got)
		}
	}
	if _, err := (&Native{d: &fakeDialogs{}}).Ask(ctx, consentQ); err != ErrTimeout {
		t.Errorf("Ask with an expired ctx: %v", err)
	}
}
