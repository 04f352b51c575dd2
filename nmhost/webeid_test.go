package nmhost

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

const webEIDNonce = "cGVyc29uYWwgY2hhbGxlbmdlIG5vbmNlIDMyIGJ5dGU="

// SemVer 2.0.0's own expression (semver.org), which the extension applies.
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

// The version is strict SemVer with major 2 (the extension's and the
// library's), whatever eidbridge's own version looks like.
func TestWebEIDVersion(t *testing.T) {
	for in, want := range map[string]string{
		"0.4.0":                "2.9.0+eidbridge.0.4.0",
		"dev":                  "2.9.0+eidbridge.dev",
		"v0.4.0-3-gabc+dirty":  "2.9.0+eidbridge.v0.4.0-3-gabc-dirty",
		"":                     "2.9.0+eidbridge.unknown",
		"1..2.":                "2.9.0+eidbridge.1.2",
		"ünïcode build/1 2":    "2.9.0+eidbridge.-n-code-build-1-2",
		"...":                  "2.9.0+eidbridge.unknown",
		"1.2.3-rc.1+meta.data": "2.9.0+eidbridge.1.2.3-rc.1-meta.data",
	} {
		got := WebEIDVersion(in)
		if got != want || !semver.MatchString(got) || !strings.HasPrefix(got, "2.") {
			t.Errorf("WebEIDVersion(%q) = %q, want %q (SemVer, major 2)", in, got, want)
		}
	}
}

func TestCalledByWebEID(t *testing.T) {
	for args, want := range map[string]bool{
		"chrome-extension://" + WebEIDChromeID + "/":                                true,
		"chrome-extension://" + WebEIDEdgeID + "/ --parent-window=42":               true,
		"/home/u/.mozilla/native-messaging-hosts/eu.webeid.json " + WebEIDFirefoxID: true,
		"chrome-extension://" + DevChromeID + "/":                                   false,
		"/m/be.eidbridge.nm.json " + FirefoxID:                                      false,
		"chrome-extension://" + WebEIDChromeID:                                      false, // not the form browsers pass
		WebEIDFirefoxID:                                                             false, // Firefox's ID comes second
		"":                                                                          false,
	} {
		if got := CalledByWebEID(strings.Fields(args)); got != want {
			t.Errorf("CalledByWebEID(%q) = %v, want %v", args, got, want)
		}
	}
}

// Serve speaks Web eID to the Web eID extension of each browser and the
// eidbridge dialect to the eidbridge extension.
func TestServeChoosesTheDialect(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	cfg := agent.DefaultConfig()
	cfg.Port = deadPort(t)
	opts := Options{Version: "1.2.3", Config: cfg, Log: slog.New(slog.DiscardHandler)}
	serveWith := func(args ...string) *browserPipe {
		return startPipe(t, func(ctx context.Context, in io.Reader, out io.Writer) error {
			return Serve(ctx, args, opts, in, out)
		})
	}
	for _, args := range [][]string{{"chrome-extension://" + WebEIDChromeID + "/"},
		{"chrome-extension://" + WebEIDEdgeID + "/", "--parent-window=7"},
		{"/home/u/.mozilla/native-messaging-hosts/eu.webeid.json", WebEIDFirefoxID}} {
		b := serveWith(args...)
		checkVersion(t, b)
		b.send(command("quit", map[string]any{}))
		if m := b.recv(); len(m) != 0 {
			t.Errorf("%v: quit answered %v, want {}", args, m)
		}
	}
	b := serveWith("chrome-extension://" + DevChromeID + "/")
	b.send(`{"query":"origins"}`)
	if m := b.recv(); m["origins"] == nil || m["version"] != nil {
		t.Errorf("the eidbridge extension got %v, want the origins", m)
	}
}

// quit is answered {} without the agent; a host whose extension only
// wanted the version ends quietly when the pipe closes.
func TestWebEIDQuit(t *testing.T) {
	h := host{ports: []int{deadPort(t)}, keyPath: filepath.Join(t.TempDir(), "k"), version: "1.2.3",
		log: slog.New(slog.DiscardHandler)}
	if m := webEIDRun(t, h, command("quit", map[string]any{})); len(m) != 0 {
		t.Errorf("quit: %v, want {}", m)
	}
	b := startPipe(t, h.serveWebEID)
	checkVersion(t, b)
	b.in.Close()
	if err := b.result(); err != nil {
		t.Errorf("closed after the version: %v", err)
	}
}

// With no agent, and equally for a site the agent refuses, the answer is
// fatal with what the citizen can do, in the page's language.
func TestWebEIDAgentAbsentOrRefusing(t *testing.T) {
	absent := host{ports: []int{deadPort(t)}, keyPath: filepath.Join(t.TempDir(), "k"), version: "1.2.3",
		log: slog.New(slog.DiscardHandler)}
	refusing, logs := webEIDAgent(t, "citizen-1.8", agrees())
	auth := func(origin, lang string) string {
		return command("authenticate", map[string]any{"challengeNonce": webEIDNonce, "origin": origin, "lang": lang})
	}
	for _, tc := range []struct {
		name string
		h    host
		cmd  string
		want string // a phrase of the message
	}{
		{"absent", absent, auth(nmOrigin, "en"), "The eidbridge program is not running"},
		{"absent, French", absent, auth(nmOrigin, "fr-BE"), "Le programme eidbridge n'est pas lancé"},
		{"absent, get-signing-certificate", absent, command("get-signing-certificate", map[string]any{"origin": nmOrigin}), "eidbridge start"},
		{"refused", refusing, auth("https://evil.example", "en"), "The eidbridge program is not running"},
	} {
		m := webEIDRun(t, tc.h, tc.cmd)
		code, msg := errorOf(m)
		if code != "ERR_WEBEID_NATIVE_FATAL" || !strings.Contains(msg, tc.want) || !strings.Contains(msg, "eidbridge start") || len(m) != 1 {
			t.Errorf("%s: %v, want ERR_WEBEID_NATIVE_FATAL saying %q and how to start the agent", tc.name, m, tc.want)
		}
	}
	if !strings.Contains(logs.String(), "relayed origin https://evil.example is not in the allowlist") {
		t.Errorf("the agent did not refuse the site itself:\n%s", logs.String())
	}
}

// A message over 8192 bytes is refused without being read; one of
// exactly 8192 is served.
func TestWebEIDMessageSize(t *testing.T) {
	h := host{ports: []int{deadPort(t)}, keyPath: filepath.Join(t.TempDir(), "k"), version: "1.2.3",
		log: slog.New(slog.DiscardHandler)}
	quit := command("quit", map[string]any{})
	for _, tc := range []struct {
		size int
		want string
	}{{8192, ""}, {8193, "ERR_WEBEID_NATIVE_INVALID_ARGUMENT"}, {1 << 20, "ERR_WEBEID_NATIVE_INVALID_ARGUMENT"}} {
		msg := quit + strings.Repeat(" ", tc.size-len(quit))
		if code, _ := errorOf(webEIDRun(t, h, msg)); code != tc.want {
			t.Errorf("a %d-byte command: %q, want %q", tc.size, code, tc.want)
		}
	}
	b := startPipe(t, h.serveWebEID)
	checkVersion(t, b)
	go b.in.Write(binary.NativeEndian.AppendUint32(nil, 1<<31)) // a length alone, 2 GiB
	if code, _ := errorOf(b.recv()); code != "ERR_WEBEID_NATIVE_INVALID_ARGUMENT" {
		t.Errorf("a 2 GiB length: %q", code)
	}
}

// The host reads exactly one command: the version goes out before it
// reads anything, and the answer is the last thing it writes.
func TestWebEIDOneCommand(t *testing.T) {
	h := host{ports: []int{deadPort(t)}, keyPath: filepath.Join(t.TempDir(), "k"), version: "1.2.3",
		log: slog.New(slog.DiscardHandler)}
	var out bytes.Buffer
	in := bytes.NewReader(append(frame(command("quit", map[string]any{})), frame(command("quit", map[string]any{}))...))
	if err := h.serveWebEID(context.Background(), in, &out); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		msg, err := ReadFrame(&out, MaxToBrowser)
		if err != nil {
			break
		}
		got = append(got, string(msg))
	}
	if want := []string{`{"version":"` + WebEIDVersion("1.2.3") + `"}`, `{}`}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("the host wrote %q, want %q", got, want)
	}
}
