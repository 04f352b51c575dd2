package nmhost

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/agenttest"
)

// selfBuiltID is a Web eID extension under an ID of its own, as
// Chromium gives an unpacked build (from its path) or a re-signed one.
const selfBuiltID = "kfmdinlehfjfpgdblhfkmgmpjkafojpc"

// serveArgs runs Serve as the browser starts it with args, with no
// agent, logging into logs.
func serveArgs(t *testing.T, logs io.Writer, args ...string) *browserPipe {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	cfg := agent.DefaultConfig()
	cfg.Port = deadPort(t)
	opts := Options{Version: "1.2.3", Config: cfg, Log: slog.New(slog.NewTextHandler(logs, nil))}
	return startPipe(t, func(ctx context.Context, in io.Reader, out io.Writer) error {
		return Serve(ctx, args, opts, in, out)
	})
}

// Whatever the eu.webeid launcher's marker comes with, the host speaks
// Web eID: the browser let that caller start the eu.webeid registration,
// so it is a Web eID extension, whatever its ID.
func TestServeWebEIDRegistrationAnyCaller(t *testing.T) {
	for _, args := range [][]string{
		{WebEIDMarker, "chrome-extension://" + selfBuiltID + "/"},
		{WebEIDMarker, "chrome-extension://" + selfBuiltID + "/", "--parent-window=7"},
		{WebEIDMarker, "/home/u/.mozilla/native-messaging-hosts/eu.webeid.json", "webeid@example.org"},
		{WebEIDMarker, "chrome-extension://" + WebEIDChromeID + "/"},
	} {
		var logs agenttest.Buffer
		b := serveArgs(t, &logs, args...)
		checkVersion(t, b)
		b.send(command("quit", map[string]any{}))
		if m := b.recv(); len(m) != 0 {
			t.Errorf("%q: quit answered %v, want {}", args, m)
		}
		if err := b.result(); err != nil {
			t.Errorf("%q: %v", args, err)
		}
		// The log names the caller (not the marker) and why it got Web eID.
		want := "caller=" + callerOf(args[1:]) + " because=\"registered as eu.webeid\""
		if !strings.Contains(logs.String(), "speaking the Web eID protocol") || !strings.Contains(logs.String(), want) {
			t.Errorf("%q: the log does not say %s:\n%s", args, want, logs.String())
		}
	}
}

// Without the marker the caller's ID decides, as before: the eidbridge
// extension's registration gives a Web eID extension under an unlisted
// ID eidbridge's own protocol, and an eu.webeid launcher of an older
// install keeps answering the published extension in Web eID.
func TestServeWithoutMarkerChoosesByCaller(t *testing.T) {
	for _, args := range [][]string{
		{"chrome-extension://" + selfBuiltID + "/"},
		{"/home/u/.mozilla/native-messaging-hosts/be.eidbridge.nm.json", "webeid@example.org"},
		{"--webeid-not", "chrome-extension://" + selfBuiltID + "/"}, // only the exact marker counts
	} {
		var logs agenttest.Buffer
		b := serveArgs(t, &logs, args...)
		b.send(`{"query":"origins"}`)
		if m := b.recv(); m["origins"] == nil || m["version"] != nil {
			t.Errorf("%q got %v, want eidbridge's own protocol (the origins)", args, m)
		}
		if strings.Contains(logs.String(), "Web eID") {
			t.Errorf("%q: the log says Web eID:\n%s", args, logs.String())
		}
	}
	var logs agenttest.Buffer
	b := serveArgs(t, &logs, "chrome-extension://"+WebEIDEdgeID+"/") // an older eu.webeid launcher
	checkVersion(t, b)
	if !strings.Contains(logs.String(), `because="the published Web eID extension"`) {
		t.Errorf("the log does not say why:\n%s", logs.String())
	}
}

func TestChooseWebEID(t *testing.T) {
	for _, tc := range []struct {
		args    string
		webEID  bool
		browser string
	}{
		{"--webeid chrome-extension://" + selfBuiltID + "/ --parent-window=1", true, "chrome-extension://" + selfBuiltID + "/ --parent-window=1"},
		{"--webeid", true, ""},
		{"chrome-extension://" + WebEIDChromeID + "/", true, "chrome-extension://" + WebEIDChromeID + "/"},
		{"chrome-extension://" + selfBuiltID + "/ --webeid", false, "chrome-extension://" + selfBuiltID + "/ --webeid"},
		{"", false, ""},
	} {
		webEID, why, browser := chooseWebEID(strings.Fields(tc.args))
		if webEID != tc.webEID || strings.Join(browser, " ") != tc.browser || webEID != (why != "") {
			t.Errorf("chooseWebEID(%q) = %v, %q, %q; want %v, %q", tc.args, webEID, why, browser, tc.webEID, tc.browser)
		}
	}
}

// The eu.webeid launcher carries the marker on every system; the
// eidbridge extension's launcher does not.
func TestWebEIDLauncherMarks(t *testing.T) {
	for _, goos := range []string{"linux", "windows"} {
		p := tempPlatform(t, goos)
		bin := filepath.Join(p.Home, "eidbridge")
		if err := (WebEIDInstaller{Platform: p, Binary: bin, Registry: fakeRegistry{}}).Install(io.Discard); err != nil {
			t.Fatal(err)
		}
		if err := (Installer{Platform: p, Binary: bin, Registry: fakeRegistry{}}).Install(io.Discard); err != nil {
			t.Fatal(err)
		}
		webEID, _ := os.ReadFile(p.WebEIDLauncher())
		own, _ := os.ReadFile(p.Launcher())
		if !strings.Contains(string(webEID), " nm-host --webeid ") || strings.Contains(string(own), WebEIDMarker) {
			t.Errorf("%s: the Web eID launcher %q must pass --webeid, the extension's %q must not", goos, webEID, own)
		}
	}
}

// Extra extension IDs go into the Chromium manifests after the published
// ones, once each; Firefox's keeps the official add-on. Installing again
// without them takes them out, and uninstall still leaves the home as
// it was.
func TestWebEIDInstallExtensionIDs(t *testing.T) {
	p := tempPlatform(t, "linux")
	before := files(t, p.Home)
	other := strings.Repeat("p", 32)
	in := WebEIDInstaller{Platform: p, Binary: "/usr/bin/eidbridge", ExtensionIDs: []string{selfBuiltID, WebEIDChromeID, other, selfBuiltID}}
	var out bytes.Buffer
	if err := in.Install(&out); err != nil {
		t.Fatal(err)
	}
	if want := "also let " + selfBuiltID + ", " + other + " start it\n"; !strings.Contains(out.String(), want) {
		t.Errorf("install did not say which IDs it added (%q):\n%s", want, out.String())
	}
	wantChromium := []string{"chrome-extension://" + WebEIDChromeID + "/", "chrome-extension://" + WebEIDEdgeID + "/",
		"chrome-extension://" + selfBuiltID + "/", "chrome-extension://" + other + "/"}
	for _, b := range Browsers {
		m := readManifest(t, p, b)
		firefoxOK := m.AllowedOrigins == nil && slices.Equal(m.AllowedExtensions, []string{WebEIDFirefoxID})
		if b == "firefox" && !firefoxOK || b != "firefox" && !slices.Equal(m.AllowedOrigins, wantChromium) {
			t.Errorf("%s allows %v %v", b, m.AllowedOrigins, m.AllowedExtensions)
		}
	}
	in.ExtensionIDs = nil
	if err := in.Install(io.Discard); err != nil {
		t.Fatal(err)
	}
	loc, _ := p.Location("chrome", WebEIDHostName)
	checkWebEIDManifest(t, "chrome", loc.Manifest, p.WebEIDLauncher())
	if err := in.Uninstall(io.Discard); err != nil {
		t.Fatal(err)
	}
	if after := files(t, p.Home); !reflect.DeepEqual(after, before) {
		t.Errorf("after uninstall: %v", after)
	}
}

func readManifest(t *testing.T, p Platform, browser string) manifest {
	t.Helper()
	loc, _ := p.Location(browser, WebEIDHostName)
	var m manifest
	b, err := os.ReadFile(loc.Manifest)
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatalf("%s: %v", browser, err)
	}
	return m
}

// A bad extension ID is refused with what an ID looks like, before
// anything is written.
func TestWebEIDInstallRefusesBadExtensionIDs(t *testing.T) {
	for _, tc := range []struct {
		ids      []string
		browsers []string
		want     string
	}{
		{[]string{WebEIDFirefoxID}, nil, "not a Chromium extension ID (32 letters a to p); Firefox needs none"},
		{[]string{strings.Repeat("a", 31)}, nil, "32 letters a to p"},
		{[]string{strings.Repeat("q", 32)}, nil, "32 letters a to p"},
		{[]string{strings.ToUpper(selfBuiltID)}, nil, "32 letters a to p"},
		{[]string{"chrome-extension://" + selfBuiltID + "/"}, nil, "32 letters a to p"},
		{[]string{selfBuiltID}, []string{"firefox"}, "only Firefox was chosen"},
	} {
		p := tempPlatform(t, "linux")
		in := WebEIDInstaller{Platform: p, Binary: "/usr/bin/eidbridge", Browsers: tc.browsers, ExtensionIDs: tc.ids}
		err := in.Install(io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q for %v: %v, want %q", tc.ids, tc.browsers, err, tc.want)
		}
		if written := files(t, p.Home); len(written) != 0 {
			t.Errorf("%q: wrote %v before refusing", tc.ids, written)
		}
	}
}
