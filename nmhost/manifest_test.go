package nmhost

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func fakePlatform(goos string) Platform {
	return Platform{GOOS: goos, Home: "/h", ConfigHome: "/h/.config", DataHome: "/h/.local/share",
		LocalAppData: `C:\Users\u\AppData\Local`}
}

func TestManifestLocations(t *testing.T) {
	for _, tc := range []struct {
		goos, browser, manifest, regKey string
	}{
		{"linux", "chrome", "/h/.config/google-chrome/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"linux", "chromium", "/h/.config/chromium/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"linux", "edge", "/h/.config/microsoft-edge/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"linux", "brave", "/h/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"linux", "firefox", "/h/.mozilla/native-messaging-hosts/be.eidbridge.nm.json", ""},
		{"darwin", "chrome", "/h/Library/Application Support/Google/Chrome/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"darwin", "chromium", "/h/Library/Application Support/Chromium/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"darwin", "edge", "/h/Library/Application Support/Microsoft Edge/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"darwin", "brave", "/h/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"darwin", "firefox", "/h/Library/Application Support/Mozilla/NativeMessagingHosts/be.eidbridge.nm.json", ""},
		{"windows", "chrome", `C:\Users\u\AppData\Local/eidbridge/native-messaging/be.eidbridge.nm.chrome.json`,
			`Software\Google\Chrome\NativeMessagingHosts\be.eidbridge.nm`},
		{"windows", "chromium", `C:\Users\u\AppData\Local/eidbridge/native-messaging/be.eidbridge.nm.chromium.json`,
			`Software\Chromium\NativeMessagingHosts\be.eidbridge.nm`},
		{"windows", "edge", `C:\Users\u\AppData\Local/eidbridge/native-messaging/be.eidbridge.nm.edge.json`,
			`Software\Microsoft\Edge\NativeMessagingHosts\be.eidbridge.nm`},
		{"windows", "brave", `C:\Users\u\AppData\Local/eidbridge/native-messaging/be.eidbridge.nm.brave.json`,
			`Software\BraveSoftware\Brave-Browser\NativeMessagingHosts\be.eidbridge.nm`},
		{"windows", "firefox", `C:\Users\u\AppData\Local/eidbridge/native-messaging/be.eidbridge.nm.firefox.json`,
			`Software\Mozilla\NativeMessagingHosts\be.eidbridge.nm`},
	} {
		loc, err := fakePlatform(tc.goos).Location(tc.browser, HostName)
		// filepath.Join uses this machine's separator; compare in slashes.
		got := filepath.ToSlash(loc.Manifest)
		if err != nil || got != filepath.ToSlash(tc.manifest) || loc.RegKey != tc.regKey {
			t.Errorf("%s %s: %q %q %v\nwant %q %q", tc.goos, tc.browser, got, loc.RegKey, err, tc.manifest, tc.regKey)
		}
	}
	if _, err := fakePlatform("plan9").Location("chrome", HostName); err == nil {
		t.Error("plan9 has a location")
	}
}

func TestLauncherLocationAndScript(t *testing.T) {
	for goos, want := range map[string]string{
		"linux":   "/h/.local/share/eidbridge/nm-host",
		"darwin":  "/h/Library/Application Support/eidbridge/nm-host",
		"windows": `C:\Users\u\AppData\Local/eidbridge/nm-host.bat`,
	} {
		if got := filepath.ToSlash(fakePlatform(goos).Launcher()); got != filepath.ToSlash(want) {
			t.Errorf("%s launcher %q, want %q", goos, got, want)
		}
	}
	sh, err := fakePlatform("linux").launcherScript("/opt/it's here/eidbridge", ownHostArgs, "x")
	if err != nil || !strings.HasPrefix(sh, "#!/bin/sh\n") ||
		!strings.HasSuffix(sh, "\nexec '/opt/it'\\''s here/eidbridge' nm-host \"$@\"\n") {
		t.Errorf("sh launcher %q, %v", sh, err)
	}
	bat, err := fakePlatform("windows").launcherScript(`C:\Program Files\eidbridge\eidbridge.exe`, ownHostArgs, "x")
	if err != nil || !strings.HasSuffix(bat, "\r\n\"C:\\Program Files\\eidbridge\\eidbridge.exe\" nm-host %*\r\n") {
		t.Errorf("bat launcher %q, %v", bat, err)
	}
	for goos, bad := range map[string]string{"windows": `C:\100%\e.exe`, "linux": "/a\nb"} {
		if _, err := fakePlatform(goos).launcherScript(bad, ownHostArgs, "x"); err == nil {
			t.Errorf("%s accepted the program path %q", goos, bad)
		}
	}
}

func TestManifestJSON(t *testing.T) {
	chrome, err := manifestJSON(HostName, ourDescription, false, "/l/nm-host", []string{DevChromeID, strings.Repeat("a", 32)}, []string{FirefoxID})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(chrome, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": "be.eidbridge.nm", "description": got["description"], "path": "/l/nm-host", "type": "stdio",
		"allowed_origins": []any{"chrome-extension://" + DevChromeID + "/", "chrome-extension://" + strings.Repeat("a", 32) + "/"}}
	if !reflect.DeepEqual(got, want) || got["description"] == "" {
		t.Errorf("chrome manifest %v\nwant %v", got, want)
	}
	ff, _ := manifestJSON(HostName, ourDescription, true, "/l/nm-host", []string{DevChromeID}, []string{FirefoxID})
	got = nil
	json.Unmarshal(ff, &got)
	if !reflect.DeepEqual(got["allowed_extensions"], []any{FirefoxID}) || got["allowed_origins"] != nil {
		t.Errorf("firefox manifest %s", ff)
	}
}

// The default Chrome ID must be the one the extension's public key gives
// (the first 128 bits of SHA-256 of the key, hex digits 0-f as a-p), and
// the Firefox ID the one in browser_specific_settings.
func TestExtensionIDsMatchTheExtension(t *testing.T) {
	b, err := os.ReadFile("../webext/extension/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Key                     string
		BrowserSpecificSettings struct{ Gecko struct{ ID string } } `json:"browser_specific_settings"`
		Background              struct {
			ServiceWorker string `json:"service_worker"`
		}
		Permissions []string
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	der, err := base64.StdEncoding.DecodeString(m.Key)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	id := strings.Map(func(r rune) rune {
		if r <= '9' {
			return 'a' + r - '0'
		}
		return 'a' + 10 + r - 'a'
	}, hex.EncodeToString(sum[:16]))
	if id != DevChromeID {
		t.Errorf("the extension's key gives ID %s, nm-host allows %s", id, DevChromeID)
	}
	if m.BrowserSpecificSettings.Gecko.ID != FirefoxID {
		t.Errorf("the extension's Firefox ID is %q, nm-host allows %q", m.BrowserSpecificSettings.Gecko.ID, FirefoxID)
	}
	if m.Background.ServiceWorker != "background.js" {
		t.Errorf("the extension's service worker is %q", m.Background.ServiceWorker)
	}
	// storage keeps the host limits' memory across worker restarts
	// (storage.session); browsers show no prompt for it.
	if !reflect.DeepEqual(m.Permissions, []string{"nativeMessaging", "storage"}) {
		t.Errorf("the extension asks for %v; it needs nativeMessaging and storage only", m.Permissions)
	}
	src, err := os.ReadFile("../webext/extension/background.js")
	if err != nil || !strings.Contains(string(src), `"`+HostName+`"`) {
		t.Errorf("background.js does not connect to %s (%v)", HostName, err)
	}
}
