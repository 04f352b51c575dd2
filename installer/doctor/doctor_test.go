package doctor

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/installer"
	"github.com/eidbridge/eidbridge/pcsc"
)

var now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func validCerts() []CertInfo {
	return []CertInfo{
		{Name: "authentication", Present: true, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0)},
		{Name: "signing", Present: true, NotBefore: now.AddDate(-1, 0, 0), NotAfter: now.AddDate(5, 0, 0)},
	}
}

func goodCard() CardSnapshot {
	return CardSnapshot{Readers: []ReaderInfo{
		{Name: "Empty Reader", Err: pcsc.ErrNoCard},
		{Name: "ACS ACR38U", ATR: []byte{0x3B, 0x98}, Belgian: true, Applet: "1.8", Certs: validCerts(),
			PIN: eid.PINState{TriesLeft: 3}},
	}}
}

// healthy is an Env where everything works.
func healthy() *Env {
	ours := &installer.Owner{PID: 100, UID: 1000, Exe: "/usr/bin/eidbridge"}
	return &Env{
		GOOS: "linux", Version: "1.0", Now: func() time.Time { return now }, UID: 1000,
		Config: func() ConfigInfo {
			return ConfigInfo{Path: "/home/ann/.config/eidbridge/config.json", Exists: true, Config: agent.DefaultConfig()}
		},
		Card:      func(context.Context) CardSnapshot { return goodCard() },
		Listener:  func(context.Context, int) (*installer.Owner, error) { return ours, nil },
		Handshake: func(context.Context, int) (Handshake, error) { return Handshake{Dropped: true}, nil },
		Service: func(context.Context) ServiceInfo {
			return ServiceInfo{Installed: true, Enabled: true, By: "the package", Where: "/usr/lib/systemd/user/eidbridge.service", State: "enabled"}
		},
		NativeHosts: func(context.Context) []HostInfo {
			return []HostInfo{
				{Browser: "Chromium", BrowserFound: true, Manifest: "/etc/chromium/native-messaging-hosts/x.json",
					Program: "/usr/bin/eidbridge", ProgramOK: true},
				{Browser: "Firefox"},
			}
		},
	}
}

func TestHealthyIsGreen(t *testing.T) {
	rep := Run(context.Background(), *healthy())
	for _, r := range rep.Results {
		want := OK
		if r.ID == "native-messaging/firefox" {
			want = Skip
		}
		if r.Status != want || r.Fix != "" {
			t.Errorf("%s: %s %q (fix %q), want %s without a fix", r.ID, r.Status, r.Detail, r.Fix, want)
		}
	}
	if rep.Failed() != 0 {
		t.Errorf("failed %d", rep.Failed())
	}
}

func withCard(f func(*CardSnapshot)) func(*Env) {
	return func(e *Env) {
		s := goodCard()
		f(&s)
		e.Card = func(context.Context) CardSnapshot { return s }
	}
}

func withReader(f func(*ReaderInfo)) func(*Env) {
	return withCard(func(s *CardSnapshot) { f(&s.Readers[1]) })
}

func withCert(i int, f func(*CertInfo)) func(*Env) {
	return withReader(func(r *ReaderInfo) { r.Certs = validCerts(); f(&r.Certs[i]) })
}

func withOwner(o *installer.Owner) func(*Env) {
	return func(e *Env) { e.Listener = func(context.Context, int) (*installer.Owner, error) { return o, nil } }
}

func withHandshake(h Handshake, err error) func(*Env) {
	return func(e *Env) { e.Handshake = func(context.Context, int) (Handshake, error) { return h, err } }
}

func withConfig(f func(*ConfigInfo)) func(*Env) {
	return func(e *Env) {
		ci := e.Config()
		f(&ci)
		e.Config = func() ConfigInfo { return ci }
	}
}

func withService(s ServiceInfo) func(*Env) {
	return func(e *Env) { e.Service = func(context.Context) ServiceInfo { return s } }
}

func withHost(h HostInfo) func(*Env) {
	return func(e *Env) { e.NativeHosts = func(context.Context) []HostInfo { return []HostInfo{h} } }
}

// Every broken piece is named by its check, with a fix that says what to do.
func TestEachProblemIsNamedWithItsFix(t *testing.T) {
	tests := []struct {
		name    string
		break_  func(*Env)
		id      string
		status  Status
		detail  string
		fix     string
		skipped []string
	}{
		{"bad config", withConfig(func(c *ConfigInfo) { c.Err = errors.New(`port 0: want 1 to 65535`) }),
			"config", Fail, "will not start: port 0", "delete it", []string{"allowlist"}},
		{"empty allowlist", withConfig(func(c *ConfigInfo) { c.Config.AllowedOrigins = nil }),
			"allowlist", Warn, "no website", "eidbridge allow", nil},
		{"http allowlist entry", withConfig(func(c *ConfigInfo) { c.Config.AllowedOrigins = []string{"http://localhost:8080"} }),
			"allowlist", Warn, "plain http", "eidbridge disallow http://localhost:8080", nil},
		{"pcscd down", withCard(func(s *CardSnapshot) { *s = CardSnapshot{Service: pcsc.ErrNoService} }),
			"pcscd", Fail, "does not answer", "systemctl enable --now pcscd.socket", []string{"readers", "card", "certificates", "pin"}},
		{"no reader", withCard(func(s *CardSnapshot) { s.Readers = nil }),
			"readers", Fail, "no smart-card reader", "libccid", []string{"card", "certificates", "pin"}},
		{"no card", withReader(func(r *ReaderInfo) { *r = ReaderInfo{Name: "R", Err: pcsc.ErrNoCard} }),
			"card", Fail, "no card in any reader", "insert your eID", []string{"certificates", "pin"}},
		{"card busy", withReader(func(r *ReaderInfo) { *r = ReaderInfo{Name: "R", Err: pcsc.ErrCardBusy} }),
			"card", Fail, "held by another application", "close the other program", nil},
		{"card mute", withReader(func(r *ReaderInfo) { *r = ReaderInfo{Name: "R", Err: pcsc.ErrCardMute} }),
			"card", Fail, "cannot be reached", "insert it again", nil},
		{"other card", withReader(func(r *ReaderInfo) { *r = ReaderInfo{Name: "R", ATR: []byte{0x3B, 0x00}} }),
			"card", Fail, "not a Belgian eID (ATR 3B00)", "insert your Belgian eID", nil},
		{"old applet", withReader(func(r *ReaderInfo) { r.OpenErr = eid.ErrUnsupportedApplet }),
			"card", Fail, "too old", "municipality", nil},
		{"expired", withCert(0, func(c *CertInfo) { c.NotAfter = now.AddDate(0, 0, -2) }),
			"certificates", Fail, "authentication certificate expired on 2026-05-30", "renew your card", nil},
		{"not yet valid", withCert(1, func(c *CertInfo) { c.NotBefore = now.AddDate(0, 1, 0) }),
			"certificates", Fail, "valid only from 2026-07-01", "date and time", nil},
		{"expires soon", withCert(0, func(c *CertInfo) { c.NotAfter = now.AddDate(0, 0, 10) }),
			"certificates", Warn, "expires soon, on 2026-06-11", "before then", nil},
		{"no signing certificate", withCert(1, func(c *CertInfo) { *c = CertInfo{Name: "signing"} }),
			"certificates", Warn, "not sign", "18", nil},
		{"no authentication certificate", withCert(0, func(c *CertInfo) { *c = CertInfo{Name: "authentication"} }),
			"certificates", Warn, "cannot log you in", "activate", nil},
		{"unreadable certificates", withReader(func(r *ReaderInfo) { r.CertsErr = errors.New("6982") }),
			"certificates", Fail, "could not be read: 6982", "insert it again", nil},
		{"PIN blocked", withReader(func(r *ReaderInfo) { r.PIN = eid.PINState{Blocked: true} }),
			"pin", Fail, "blocked", "PUK", nil},
		{"one PIN try left", withReader(func(r *ReaderInfo) { r.PIN = eid.PINState{TriesLeft: 1} }),
			"pin", Warn, "1 try left", "at 0", nil},
		{"PIN state unreadable", withReader(func(r *ReaderInfo) { r.PINErr = errors.New("card removed") }),
			"pin", Warn, "card removed", "insert it again", nil},
		{"agent stopped", withOwner(nil),
			"agent", Fail, "nothing listens on ws://127.0.0.1:51950/v1", "eidbridge start", nil},
		{"port taken", withOwner(&installer.Owner{PID: 9, UID: 1000, Exe: "/usr/bin/python3"}),
			"port", Fail, "/usr/bin/python3, pid 9", "another port", nil},
		{"agent blocked by the port", withOwner(&installer.Owner{PID: 9, UID: 1000, Exe: "/usr/bin/python3"}),
			"agent", Fail, "port is taken", "another port", nil},
		{"another user's agent", withOwner(&installer.Owner{PID: 9, UID: 1001, Exe: "/usr/bin/eidbridge"}),
			"port", Fail, "another user's eidbridge (uid 1001)", "log the other user out", nil},
		{"unknown owner that answers like the agent", withOwner(&installer.Owner{UID: -1}),
			"agent", Warn, "refuses unknown websites the way the agent does", "eidbridge status", nil},
		{"unknown owner that does not", func(e *Env) {
			withOwner(&installer.Owner{UID: 0})(e)
			withHandshake(Handshake{Status: 200}, nil)(e)
		}, "port", Fail, "does not answer like the agent", "another port", nil},
		{"our agent answers oddly", withHandshake(Handshake{Status: 101}, nil),
			"agent", Warn, "HTTP 101", "restart", nil},
		{"our agent does not answer", withHandshake(Handshake{}, errors.New("i/o timeout")),
			"agent", Warn, "i/o timeout", "restart", nil},
		{"not installed", withService(ServiceInfo{}),
			"service", Fail, "not set up", "eidbridge install", nil},
		{"masked", withService(ServiceInfo{Installed: true, By: "the package", Where: "/usr/lib/x", State: "masked"}),
			"service", Fail, "turned off (masked)", "systemctl --user unmask", nil},
		{"browser without registration", withHost(HostInfo{Browser: "Google Chrome", BrowserFound: true}),
			"native-messaging/google-chrome", Warn, "not registered", "nm-host install", nil},
		{"broken registration", withHost(HostInfo{Browser: "Firefox", Manifest: "/m.json", Err: errors.New("not valid JSON")}),
			"native-messaging/firefox", Fail, "unusable: not valid JSON", "eidbridge install", nil},
		{"registered program gone", withHost(HostInfo{Browser: "Chromium", Manifest: "/m.json", Program: "/opt/gone"}),
			"native-messaging/chromium", Fail, "/opt/gone, which is not an executable", "moved or removed", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := healthy()
			tt.break_(env)
			rep := Run(context.Background(), *env)
			r, ok := rep.Find(tt.id)
			if !ok {
				t.Fatalf("no %s check in %+v", tt.id, rep.Results)
			}
			if r.Status != tt.status || !strings.Contains(r.Detail, tt.detail) || !strings.Contains(r.Fix, tt.fix) {
				t.Errorf("%s: %s %q fix %q\nwant %s, detail with %q, fix with %q", tt.id, r.Status, r.Detail, r.Fix, tt.status, tt.detail, tt.fix)
			}
			for _, id := range tt.skipped {
				if s, _ := rep.Find(id); s.Status != Skip {
					t.Errorf("%s: %s %q, want skipped after the failure", id, s.Status, s.Detail)
				}
			}
			if wantFailed := tt.status == Fail; (rep.Failed() > 0) != wantFailed {
				t.Errorf("Failed() = %d with a %s", rep.Failed(), tt.status)
			}
		})
	}
}
