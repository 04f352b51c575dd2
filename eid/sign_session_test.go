package eid_test

import (
	"crypto"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// A PIN state read a moment ago serves the next prompt (as when a caller
// reads PINStatus for its dialog and then signs); an older one is asked
// again, since other applications share the card.
func TestSignReusesRecentPINState(t *testing.T) {
	for _, name := range pinFixtures() {
		clk := eid.UseFakeClock(t)
		pc := openPINCard(t, name)
		p := promptPINs("1234")
		for _, tt := range []struct {
			wait time.Duration
			want []string
		}{
			{0, []string{"mse", "verify", "pso", "getresp"}},
			{eid.PINStateReuse - time.Millisecond, []string{"mse", "verify", "pso", "getresp"}},
			{eid.PINStateReuse, []string{"status", "mse", "verify", "pso", "getresp"}},
		} {
			if _, err := pc.card.PINStatus(); err != nil {
				t.Fatal(err)
			}
			clk.Advance(tt.wait)
			got := pc.signed(t, name, eid.KeySign, crypto.SHA256, tt.wait.String(), p.prompt)
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s, %v after the status: sent %v, want %v", name, tt.wait, got, tt.want)
			}
			clk.Advance(eid.PINStateReuse)
		}
	}
}

// The tries left after a wrong PIN are what the next prompt shows, and a
// PIN the card just blocked is refused with no APDU and no prompt.
func TestSignPromptsWithTriesAfterWrongPIN(t *testing.T) {
	eid.UseFakeClock(t)
	pc := openPINCard(t, "citizen-1.8")
	p := promptPINs("1111", "2222", "3333", "1234")
	for want := 2; want >= 0; want-- {
		_, err := pc.card.Sign(eid.KeySign, crypto.SHA256, make([]byte, 32), p.prompt)
		var wrong *eid.WrongPINError
		if !errors.As(err, &wrong) || wrong.TriesLeft != want {
			t.Fatalf("wrong PIN: %v, want %d tries left", err, want)
		}
	}
	if got := []int{p.reqs[0].TriesLeft, p.reqs[1].TriesLeft, p.reqs[2].TriesLeft}; !slices.Equal(got, []int{3, 2, 1}) {
		t.Errorf("prompts showed %v tries, want 3, 2, 1", got)
	}
	if n := pc.log.count("status"); n != 1 {
		t.Errorf("%d status queries for three prompts in a row, want 1", n)
	}
	pc.log.reset()
	for _, role := range []eid.KeyRole{eid.KeyAuth, eid.KeySign} {
		if _, err := pc.card.Sign(role, crypto.SHA256, make([]byte, 32), p.prompt); !errors.Is(err, eid.ErrPINBlocked) {
			t.Errorf("%v on the PIN just blocked: %v", role, err)
		}
	}
	if err := pc.card.VerifyPINWith(p.prompt); !errors.Is(err, eid.ErrPINBlocked) {
		t.Errorf("VerifyPINWith on the PIN just blocked: %v", err)
	}
	if got := pc.log.all(); len(got) != 0 || len(p.reqs) != 3 {
		t.Errorf("blocked PIN: %d APDUs and %d prompts, want none and still 3", len(got), len(p.reqs))
	}
}

// The authentication key signs without a status query or a PIN after
// VerifyPINWith; a non-repudiation VERIFY does not give that right.
func TestSignAuthRightSources(t *testing.T) {
	for _, name := range pinFixtures() {
		eid.UseFakeClock(t)
		pc := openPINCard(t, name)
		p := promptPINs("1234")
		for _, role := range []eid.KeyRole{eid.KeySign, eid.KeyAuth} {
			pc.signed(t, name, role, crypto.SHA256, role.String(), p.prompt)
		}
		if got, want := pc.log.steps(), []string{"mse", "verify", "pso", "getresp"}; !slices.Equal(got, want) || len(p.reqs) != 2 {
			t.Errorf("%s: auth after non-rep sent %v with %d prompts, want %v with 2", name, got, len(p.reqs), want)
		}
		if err := pc.card.VerifyPINWith(p.prompt); err != nil {
			t.Fatal(err)
		}
		got := pc.signed(t, name, eid.KeyAuth, crypto.SHA384, "after verify", p.prompt)
		if want := []string{"mse", "pso", "getresp"}; !slices.Equal(got, want) || len(p.reqs) != 3 {
			t.Errorf("%s: auth after VerifyPINWith sent %v with %d prompts, want %v with 3", name, got, len(p.reqs), want)
		}
	}
}
