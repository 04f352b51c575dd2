package nmhost

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

// The origins query is answered from the configuration alone: the agent
// need not run, and nothing else is said.
func TestNMHostAnswersOriginsQuery(t *testing.T) {
	allowed := []string{"https://*.belgium.be", "http://127.0.0.1:8080"}
	for i, list := range [][]string{allowed, nil} {
		asks := i == 0
		b := startHost(t, host{allowed: list, asks: asks, log: slog.New(slog.DiscardHandler)})
		b.send(`{"query":"origins"}`)
		m := b.recv()
		got, ok := m["origins"].([]any)
		if len(m) != 2 || !ok || len(got) != len(list) || m["firstContact"] != asks {
			t.Fatalf("answer %v, want {origins: %q, firstContact: %v}", m, list, asks)
		}
		for i, o := range got {
			if o != list[i] {
				t.Errorf("origin %d: %v, want %q", i, o, list[i])
			}
		}
		if err := b.result(); err != nil {
			t.Errorf("serve after the query: %v", err)
		}
	}
}

// The answer is the file's allowlist in canonical form, the defaults
// without a file, and empty when the file is broken.
func TestConfiguredOrigins(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path string
		want       []string
	}{
		{"no file", filepath.Join(dir, "none.json"), agent.DefaultOrigins},
		{"custom", write("custom.json", `{"allowedOrigins":["HTTPS://Mijn.Example.be:443","http://localhost:3000"]}`),
			[]string{"https://mijn.example.be", "http://localhost:3000"}},
		{"broken", write("broken.json", `{"allowedOrigins":["https://*.be"]}`), []string{}},
		{"not json", write("bad.json", `{`), []string{}},
	} {
		cfg, err := agent.LoadConfig(tc.path)
		if got := configuredOrigins(cfg, err); !slices.Equal(got, tc.want) || got == nil {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
