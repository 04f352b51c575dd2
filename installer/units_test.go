package installer

import (
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// parseUnit reads a systemd unit into section -> key -> values.
func parseUnit(t *testing.T, text string) map[string]map[string][]string {
	t.Helper()
	out := map[string]map[string][]string{}
	var sec string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			sec = line[1 : len(line)-1]
			out[sec] = map[string][]string{}
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || sec == "" {
				t.Fatalf("unit line %q is not key=value in a section", line)
			}
			out[sec][k] = append(out[sec][k], v)
		}
	}
	return out
}

func TestSystemdUnit(t *testing.T) {
	u := parseUnit(t, SystemdUnit("/usr/bin/eidbridge", "note"))
	want := map[string]map[string]string{
		"Service": {"ExecStart": "/usr/bin/eidbridge run", "Restart": "on-failure", "RestartSec": "5"},
		"Install": {"WantedBy": "default.target"},
		"Unit":    {"StartLimitIntervalSec": "60", "StartLimitBurst": "10"},
	}
	for sec, kv := range want {
		for k, v := range kv {
			if got := u[sec][k]; len(got) != 1 || got[0] != v {
				t.Errorf("[%s] %s = %q, want exactly %q", sec, k, got, v)
			}
		}
	}
	// What kardianos writes and a user manager cannot use.
	for _, sec := range u {
		for k, vs := range sec {
			for _, v := range vs {
				if strings.Contains(v, "multi-user.target") || k == "User" || k == "EnvironmentFile" {
					t.Errorf("unit has %s=%s, meaningless in a user unit", k, v)
				}
			}
		}
	}
}

func TestSystemdUnitQuotesExecStart(t *testing.T) {
	tests := []struct{ path, want string }{
		{"/home/ann/bin/eidbridge", "/home/ann/bin/eidbridge run"},
		{"/home/ann/my apps/eidbridge", `"/home/ann/my apps/eidbridge" run`},
		{"/home/ann/100%/eidbridge", "/home/ann/100%%/eidbridge run"},
		{"/home/ann/$HOME/eidbridge", "/home/ann/$$HOME/eidbridge run"},
		{`/home/ann/a"b/eidbridge`, `"/home/ann/a\"b/eidbridge" run`},
	}
	for _, tt := range tests {
		u := parseUnit(t, SystemdUnit(tt.path, "note"))
		if got := u["Service"]["ExecStart"]; len(got) != 1 || got[0] != tt.want {
			t.Errorf("%q: ExecStart=%q, want %q", tt.path, got, tt.want)
		}
	}
}

// plistDoc is the subset of a plist the tests read: the top dict's keys
// and values in order.
type plistDoc struct {
	Dict struct {
		Items []plistItem `xml:",any"`
	} `xml:"dict"`
}

type plistItem struct {
	XMLName xml.Name
	Text    string      `xml:",chardata"`
	Items   []plistItem `xml:",any"`
}

// plistValues maps each key of the top dict to its value element.
func plistValues(t *testing.T, text string) map[string]plistItem {
	t.Helper()
	var doc plistDoc
	if err := xml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("plist is not XML: %v", err)
	}
	out := map[string]plistItem{}
	items := doc.Dict.Items
	for i := 0; i+1 < len(items); i += 2 {
		if items[i].XMLName.Local != "key" {
			t.Fatalf("plist dict: %s where a key belongs", items[i].XMLName.Local)
		}
		out[items[i].Text] = items[i+1]
	}
	return out
}

func TestLaunchAgentPlist(t *testing.T) {
	exe := "/Applications/eID & Co <test>/eidbridge"
	v := plistValues(t, LaunchAgentPlist(exe, "/Users/ann/Library/Logs/eidbridge.log"))
	if got := v["Label"].Text; got != LaunchdLabel {
		t.Errorf("Label %q, want %q", got, LaunchdLabel)
	}
	args := v["ProgramArguments"].Items
	if len(args) != 2 || args[0].Text != exe || args[1].Text != "run" {
		t.Errorf("ProgramArguments %+v, want [%q run]", args, exe)
	}
	if got := v["RunAtLoad"].XMLName.Local; got != "true" {
		t.Errorf("RunAtLoad <%s/>, want <true/>", got)
	}
	ka := v["KeepAlive"]
	if ka.XMLName.Local != "dict" || len(ka.Items) != 2 || ka.Items[0].Text != "SuccessfulExit" || ka.Items[1].XMLName.Local != "false" {
		t.Errorf("KeepAlive %+v, want a dict restarting on failure (SuccessfulExit false)", ka)
	}
	if got := v["LimitLoadToSessionType"].Text; got != "Aqua" {
		t.Errorf("LimitLoadToSessionType %q, want Aqua (graphical logins)", got)
	}
	if got := v["StandardErrorPath"].Text; got != "/Users/ann/Library/Logs/eidbridge.log" {
		t.Errorf("StandardErrorPath %q", got)
	}
}

var update = flag.Bool("update", false, "rewrite packaging/linux/eidbridge.service from the template")

// The packages ship the unit as a file; it must be what the template
// makes for /usr/bin/eidbridge.
func TestPackagedUnitMatchesTemplate(t *testing.T) {
	path := filepath.Join("..", "packaging", "linux", UnitName)
	want := SystemdUnit("/usr/bin/eidbridge", PackagedUnitNote)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if got := readFile(t, path); got != want {
		t.Errorf("%s differs from the template; regenerate it with\n  go test ./installer -run TestPackagedUnitMatchesTemplate -update", path)
	}
}
