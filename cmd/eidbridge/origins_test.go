package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

// origins lists the allowlist and the answers still in force; forget
// removes one, and a name with no answer is an error that changes nothing.
func TestOriginsListsAndForgets(t *testing.T) {
	dir := t.TempDir()
	config := filepath.Join(dir, "config.json")
	if err := agent.DefaultConfig().Save(config); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	answers := agent.SiteAnswers{
		Always: map[string]time.Time{"https://shop.example.com": now.Add(-time.Hour)},
		No:     map[string]time.Time{"example.net": now.Add(time.Hour), "old.example": now.Add(-time.Minute)},
	}
	sites := filepath.Join(dir, agent.SitesFile)
	if err := answers.Save(sites); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	loaded, err := agent.LoadSiteAnswers(sites)
	if err != nil {
		t.Fatal(err)
	}
	printOrigins(&out, agent.DefaultConfig(), loaded, now)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	want := []string{"https://*.belgium.be", "https://*.fgov.be", "https://shop.example.com\talways (since ", "example.net\tno (until "}
	if len(lines) != len(want) {
		t.Fatalf("listed %q, want %d lines", lines, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d: %q, want %q…", i, lines[i], w)
		}
	}
	if err := runOrigins(context.Background(), []string{"forget", "--config", config, "https://nothing.example"}); err == nil {
		t.Error("forgetting a site with no answer succeeded")
	}
	if err := runOrigins(context.Background(), []string{"forget", "--config", config, "https://shop.example.com"}); err != nil {
		t.Fatal(err)
	}
	after, err := agent.LoadSiteAnswers(sites)
	if _, kept := after.Always["https://shop.example.com"]; err != nil || kept || after.No["example.net"].IsZero() {
		t.Errorf("after forget: %+v, %v", after, err)
	}
}
