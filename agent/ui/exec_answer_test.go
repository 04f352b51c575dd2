package ui

import (
	"errors"
	"strings"
	"testing"
)

var (
	pinQ     = Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeAuthenticate, TriesLeft: 3}
	consentQ = Question{Kind: KindConsent, Origin: "a.be", Purpose: PurposeReadIdentity}
	noticeQ  = Question{Kind: KindPIN, Origin: "a.be", Purpose: PurposeSign, TriesLeft: 3, PINPad: true}
)

func TestParseAnswerAccepts(t *testing.T) {
	tests := []struct {
		q       Question
		out     string
		wantPIN string
	}{
		{pinQ, `{"pin":"1234"}`, "1234"},
		{pinQ, " {\"pin\" : \"123456789012\"}\n", "123456789012"},
		{consentQ, `{"allow":true}`, ""},
		{noticeQ, `{"allow": true}` + "\r\n", ""},
	}
	for _, tt := range tests {
		pin, err := parseAnswer(tt.q, []byte(tt.out))
		if err != nil || string(pin) != tt.wantPIN {
			t.Errorf("%s to %q: %q, %v; want %q, nil", tt.out, tt.q.Kind, pin, err, tt.wantPIN)
		}
		if pin != nil && cap(pin) != len(pin) {
			t.Errorf("%s: the PIN is not a slice of its own (cap %d)", tt.out, cap(pin))
		}
	}
}

func TestParseAnswerCancels(t *testing.T) {
	tests := []struct {
		name, out string
		q         Question
		reason    string // "" for a plain cancel
	}{
		{"cancel", `{"cancel":true}`, pinQ, ""},
		{"cancel consent", `{"cancel":true}`, consentQ, ""},
		{"cancel false", `{"cancel":false}`, consentQ, "not true"},
		{"refused", `{"allow":false}`, consentQ, "did not allow"},
		{"allow as string", `{"allow":"true"}`, consentQ, "did not allow"},
		{"allow to a PIN", `{"allow":true}`, pinQ, "PIN question"},
		{"PIN to consent", `{"pin":"9182"}`, consentQ, "does not ask"},
		{"PIN to a pinpad notice", `{"pin":"9182"}`, noticeQ, "does not ask"},
		{"short PIN", `{"pin":"918"}`, pinQ, "4 to 12 digits"},
		{"long PIN", `{"pin":"9182736450918"}`, pinQ, "4 to 12 digits"},
		{"letters", `{"pin":"91a2"}`, pinQ, "4 to 12 digits"},
		{"escaped digits", `{"pin":"\u00391827"}`, pinQ, "4 to 12 digits"},
		{"number", `{"pin":918273}`, pinQ, "4 to 12 digits"},
		{"two keys", `{"pin":"918273","allow":true}`, pinQ, "exactly one"},
		{"unknown key", `{"pim":"918273"}`, pinQ, "none of"},
		{"empty object", `{}`, pinQ, "exactly one"},
		{"two objects", `{"pin":"918273"}{"pin":"918273"}`, pinQ, "not one JSON object"},
		{"array", `[{"pin":"918273"}]`, pinQ, "not one JSON object"},
		{"null", `null`, pinQ, "not one JSON object"},
		{"garbage", `918273`, pinQ, "not one JSON object"},
		{"nothing", ``, consentQ, "not one JSON object"},
	}
	for _, tt := range tests {
		pin, err := parseAnswer(tt.q, []byte(tt.out))
		if pin != nil || !errors.Is(err, ErrCancelled) {
			t.Errorf("%s: %q, %v; want ErrCancelled", tt.name, pin, err)
			continue
		}
		if tt.reason == "" && err != ErrCancelled {
			t.Errorf("%s: %v, want the plain ErrCancelled", tt.name, err)
		}
		if !strings.Contains(err.Error(), tt.reason) {
			t.Errorf("%s: %q does not give the reason %q", tt.name, err, tt.reason)
		}
		if strings.Contains(err.Error(), "9182") {
			t.Errorf("%s: the reason quotes the PIN: %q", tt.name, err)
		}
	}
}

func TestSplitCommand(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"ask-pin", []string{"ask-pin"}},
		{"  /usr/bin/ask  --kiosk\t-v ", []string{"/usr/bin/ask", "--kiosk", "-v"}},
		{`sh -c 'echo "$1" | tee x' arg`, []string{"sh", "-c", `echo "$1" | tee x`, "arg"}},
		{`"C:\Program Files\ask.exe" --x`, []string{`C:\Program Files\ask.exe`, "--x"}},
		{`a''b "" ''`, []string{"ab", "", ""}},
		{`it"'s"`, []string{"it's"}},
		{"", nil},
		{"   ", nil},
	}
	for _, tt := range tests {
		got, err := splitCommand(tt.in)
		if err != nil || strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("splitCommand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{`sh -c 'echo`, `"a`, `a "b' c`} {
		if got, err := splitCommand(in); err == nil || !strings.Contains(err.Error(), "unclosed") {
			t.Errorf("splitCommand(%q) = %q, %v; want an unclosed quote error", in, got, err)
		}
	}
}
