package eid_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/eid"
)

func TestPINStatusSpendsNoTry(t *testing.T) {
	for _, name := range pinFixtures() {
		t.Run(name, func(t *testing.T) {
			pc := openPINCard(t, name)
			st, err := pc.card.PINStatus()
			if err != nil {
				t.Fatalf("PINStatus: %v", err)
			}
			if st != (eid.PINState{TriesLeft: 3}) {
				t.Errorf("fresh card: %+v, want 3 tries, not verified", st)
			}
			if got := pc.log.steps(); !slices.Equal(got, []string{"status"}) {
				t.Errorf("PINStatus sent %v, want one empty VERIFY", got)
			}
			if err := pc.card.VerifyPIN([]byte("1234")); err != nil {
				t.Fatalf("VerifyPIN: %v", err)
			}
			if st, _ := pc.card.PINStatus(); !st.Verified || st.TriesLeft != 3 {
				t.Errorf("after VERIFY: %+v, want verified", st)
			}
		})
	}
}

// A wrong PIN costs a try each time until the PIN blocks; from then on
// every path says "blocked" and no VERIFY with a PIN reaches the card.
func TestWrongPINUntilBlocked(t *testing.T) {
	for _, name := range pinFixtures() {
		t.Run(name, func(t *testing.T) {
			pc := openPINCard(t, name)
			for want := 2; want >= 0; want-- {
				err := pc.card.VerifyPIN([]byte("0000"))
				var wrong *eid.WrongPINError
				if !errors.As(err, &wrong) || !errors.Is(err, eid.ErrWrongPIN) || wrong.TriesLeft != want {
					t.Fatalf("wrong PIN: %v, want WrongPINError with %d tries left", err, want)
				}
				if pc.content.PINTries != want {
					t.Fatalf("card counter %d, want %d", pc.content.PINTries, want)
				}
			}
			if err := pc.card.VerifyPIN([]byte("0000")); !errors.Is(err, eid.ErrPINBlocked) {
				t.Fatalf("after the third wrong PIN: %v, want ErrPINBlocked", err)
			}
			pc.log.reset()
			checkBlockedEverywhere(t, pc)
		})
	}
}

func checkBlockedEverywhere(t *testing.T, pc *pinCard) {
	t.Helper()
	p := promptPINs("1234")
	st, err := pc.card.PINStatus()
	if err != nil || !st.Blocked || st.TriesLeft != 0 {
		t.Errorf("PINStatus on a blocked card: %+v, %v", st, err)
	}
	calls := map[string]func() error{
		"VerifyPIN":     func() error { return pc.card.VerifyPIN([]byte("1234")) },
		"ChangePIN":     func() error { return pc.card.ChangePIN([]byte("1234"), []byte("5678")) },
		"VerifyPINWith": func() error { return pc.card.VerifyPINWith(p.prompt) },
		"ChangePINWith": func() error { return pc.card.ChangePINWith(p.prompt) },
		"Sign auth": func() error {
			_, err := pc.card.Sign(eid.KeyAuth, sha256Hash, make([]byte, 32), p.prompt)
			return err
		},
		"Sign non-rep": func() error {
			_, err := pc.card.Sign(eid.KeySign, sha256Hash, make([]byte, 32), p.prompt)
			return err
		},
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, eid.ErrPINBlocked) {
			t.Errorf("%s on a blocked card: %v, want ErrPINBlocked", name, err)
		}
	}
	for _, s := range pc.log.steps() {
		if s != "status" {
			t.Errorf("a blocked card received %q; only status queries are allowed", s)
		}
	}
	if len(p.reqs) != 0 {
		t.Errorf("the PIN was asked %d times for a blocked card", len(p.reqs))
	}
}

func TestCorrectPINRestoresTries(t *testing.T) {
	pc := openPINCard(t, "citizen-1.7")
	_ = pc.card.VerifyPIN([]byte("9999"))
	if err := pc.card.VerifyPIN([]byte("1234")); err != nil {
		t.Fatalf("VerifyPIN: %v", err)
	}
	if st, _ := pc.card.PINStatus(); st.TriesLeft != 3 {
		t.Errorf("tries after a correct PIN: %d, want 3", st.TriesLeft)
	}
}

// A badly formed PIN is refused before anything is sent, so a typo never
// costs a try; the error never repeats the PIN.
func TestBadPINFormatSendsNothing(t *testing.T) {
	bad := []string{"", "123", "1234567890123", "12a4", "12 34", "1234\n", "١٢٣٤"}
	for _, name := range pinFixtures() {
		pc := openPINCard(t, name)
		for _, pin := range bad {
			calls := []func() error{
				func() error { return pc.card.VerifyPIN([]byte(pin)) },
				func() error { return pc.card.ChangePIN([]byte(pin), []byte("5678")) },
				func() error { return pc.card.ChangePIN([]byte("1234"), []byte(pin)) },
			}
			for i, call := range calls {
				err := call()
				if !errors.Is(err, eid.ErrPINFormat) {
					t.Errorf("%s call %d with %q: %v, want ErrPINFormat", name, i, pin, err)
				}
				if pin != "" && bytes.Contains([]byte(err.Error()), []byte(pin)) {
					t.Errorf("error %q contains the PIN", err)
				}
			}
		}
		if got := pc.log.all(); len(got) != 0 {
			t.Errorf("%s: bad PINs sent %d APDUs, want none", name, len(got))
		}
		if pc.content.PINTries != 3 {
			t.Errorf("%s: counter %d after bad formats, want 3", name, pc.content.PINTries)
		}
	}
}

// Contract: VerifyPIN and ChangePIN zero the caller's buffers on every path.
func TestPINBuffersWiped(t *testing.T) {
	pc := openPINCard(t, "citizen-1.8")
	cases := []struct {
		name string
		run  func(a, b []byte) error
		a, b string
	}{
		{"verify bad format", func(a, _ []byte) error { return pc.card.VerifyPIN(a) }, "12x4", ""},
		{"verify wrong", func(a, _ []byte) error { return pc.card.VerifyPIN(a) }, "4321", ""},
		{"verify right", func(a, _ []byte) error { return pc.card.VerifyPIN(a) }, "1234", ""},
		{"change bad new", func(a, b []byte) error { return pc.card.ChangePIN(a, b) }, "1234", "12"},
		{"change", func(a, b []byte) error { return pc.card.ChangePIN(a, b) }, "1234", "123456789012"},
	}
	for _, c := range cases {
		a, b := []byte(c.a), []byte(c.b)
		_ = c.run(a, b)
		if !bytes.Equal(a, make([]byte, len(a))) || !bytes.Equal(b, make([]byte, len(b))) {
			t.Errorf("%s: PIN buffers not wiped", c.name)
		}
	}
}

func TestChangePIN(t *testing.T) {
	for _, name := range pinFixtures() {
		t.Run(name, func(t *testing.T) {
			pc := openPINCard(t, name)
			err := pc.card.ChangePIN([]byte("1111"), []byte("5678"))
			if !errors.Is(err, eid.ErrWrongPIN) || string(pc.content.PIN) != "1234" {
				t.Fatalf("change with a wrong current PIN: %v, card PIN changed: %v", err, string(pc.content.PIN) != "1234")
			}
			if err := pc.card.ChangePIN([]byte("1234"), []byte("56789")); err != nil {
				t.Fatalf("ChangePIN: %v", err)
			}
			if string(pc.content.PIN) != "56789" || pc.content.PINTries != 3 {
				t.Errorf("card PIN changed: %v, tries %d", string(pc.content.PIN) == "56789", pc.content.PINTries)
			}
			if err := pc.card.VerifyPIN([]byte("56789")); err != nil {
				t.Errorf("VerifyPIN with the new PIN: %v", err)
			}
		})
	}
}

func TestPINWithPrompt(t *testing.T) {
	pc := openPINCard(t, "citizen-1.7")
	_ = pc.card.VerifyPIN([]byte("0000"))
	p := promptPINs("1234")
	if err := pc.card.VerifyPINWith(p.prompt); err != nil {
		t.Fatalf("VerifyPINWith: %v", err)
	}
	want := eid.PINRequest{Purpose: eid.PurposeVerify, TriesLeft: 2}
	if len(p.reqs) != 1 || p.reqs[0] != want {
		t.Errorf("prompt requests %+v, want [%+v]", p.reqs, want)
	}
	p.checkWiped(t)

	p = promptPINs("1234", "24680")
	if err := pc.card.ChangePINWith(p.prompt); err != nil {
		t.Fatalf("ChangePINWith: %v", err)
	}
	if len(p.reqs) != 2 || p.reqs[0].Purpose != eid.PurposeChangeOld || p.reqs[1].Purpose != eid.PurposeChangeNew {
		t.Errorf("change prompts %+v, want old then new", p.reqs)
	}
	if string(pc.content.PIN) != "24680" {
		t.Error("ChangePINWith did not change the card's PIN")
	}
	p.checkWiped(t)
}

func TestPromptErrorSendsNoVerify(t *testing.T) {
	pc := openPINCard(t, "citizen-1.8")
	cancelled := errors.New("citizen closed the dialog")
	err := pc.card.VerifyPINWith(func(eid.PINRequest) ([]byte, error) { return nil, cancelled })
	if !errors.Is(err, cancelled) {
		t.Errorf("VerifyPINWith with a failing prompt: %v, want the prompt's error", err)
	}
	if n := pc.log.count("verify"); n != 0 {
		t.Errorf("%d VERIFY sent after the prompt failed", n)
	}
}
