package agent

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestConfigDefaultsWithoutFile(t *testing.T) {
	c, err := LoadConfig(filepath.Join(t.TempDir(), "none.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c, DefaultConfig()) || c.Port != 51950 || time.Duration(c.UserTimeout) != 2*time.Minute {
		t.Errorf("config %+v", c)
	}
}

func TestConfigRoundTripAndPartialFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "config.json")
	c := DefaultConfig()
	c.Port, c.UI, c.LogLevel, c.UserTimeout = 50000, "exec:/bin/answer --x", "debug", Duration(90*time.Second)
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v", st.Mode())
	}
	got, err := LoadConfig(path)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	os.WriteFile(path, []byte(`{"port": 4000}`), 0o600)
	got, err = LoadConfig(path)
	if err != nil || got.Port != 4000 || got.UI != "native" || len(got.AllowedOrigins) != 2 {
		t.Errorf("partial file: %+v, %v", got, err)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"typo":    `{"prot": 1}`,
		"port":    `{"port": 70000}`,
		"origin":  `{"allowedOrigins": ["http://evil.test"]}`,
		"ui":      `{"ui": "gui"}`,
		"timeout": `{"userTimeout": "soon"}`,
		"level":   `{"logLevel": "loud"}`,
		"json":    `{`,
	} {
		path := filepath.Join(dir, name+".json")
		os.WriteFile(path, []byte(body), 0o600)
		if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func TestAllowDisallow(t *testing.T) {
	c := DefaultConfig()
	if added, err := c.Allow("HTTPS://Mijn.Example.BE:443"); !added || err != nil {
		t.Fatal(added, err)
	}
	if added, _ := c.Allow("https://mijn.example.be"); added {
		t.Error("the same origin was added twice")
	}
	if c.AllowedOrigins[2] != "https://mijn.example.be" {
		t.Errorf("stored %q, want the canonical form", c.AllowedOrigins[2])
	}
	if _, err := c.Allow("http://mijn.example.be"); err == nil {
		t.Error("http for a public host accepted")
	}
	if err := c.Disallow("https://MIJN.example.be"); err != nil || len(c.AllowedOrigins) != 2 {
		t.Errorf("disallow: %v %v", err, c.AllowedOrigins)
	}
	if err := c.Disallow("https://mijn.example.be"); err == nil {
		t.Error("removing an absent origin succeeded")
	}
}
