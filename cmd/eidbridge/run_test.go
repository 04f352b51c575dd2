package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRunFlagsOverrideFile(t *testing.T) {
	path := writeConfig(t, `{"port": 4000, "allowedOrigins": ["https://a.example.be"], "logLevel": "warn"}`)
	f, err := parseRunFlags([]string{"--config", path})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configFor(f)
	if err != nil || cfg.Port != 4000 || cfg.UI != "native" || cfg.LogLevel != "warn" ||
		!reflect.DeepEqual(cfg.AllowedOrigins, []string{"https://a.example.be"}) {
		t.Fatalf("file only: %+v, %v", cfg, err)
	}
	f, err = parseRunFlags([]string{"--config", path, "--port", "5000", "--ui", "exec:./answer.sh",
		"--allow-origin", "http://127.0.0.1:8080", "--allow-origin", "https://*.x.example.be", "--log-level", "debug"})
	if err != nil {
		t.Fatal(err)
	}
	cfg, err = configFor(f)
	want := []string{"http://127.0.0.1:8080", "https://*.x.example.be"}
	if err != nil || cfg.Port != 5000 || cfg.UI != "exec:./answer.sh" || cfg.LogLevel != "debug" ||
		!reflect.DeepEqual(cfg.AllowedOrigins, want) {
		t.Fatalf("with flags: %+v, %v", cfg, err)
	}
}

func TestRunFlagErrors(t *testing.T) {
	path := writeConfig(t, `{}`)
	for _, args := range [][]string{
		{"--ui", "gui"},
		{"--allow-origin", "http://evil.test"},
		{"--port", "70000"},
		{"--log-level", "loud"},
	} {
		f, err := parseRunFlags(append([]string{"--config", path}, args...))
		if err != nil {
			t.Fatalf("%v: %v", args, err)
		}
		if _, err := configFor(f); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
	if _, err := parseRunFlags([]string{"extra"}); !errors.Is(err, errUsage) {
		t.Errorf("positional argument: %v", err)
	}
	if _, err := parseRunFlags([]string{"--bogus"}); !errors.Is(err, errUsage) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestAllowDisallowCommands(t *testing.T) {
	path := filepath.Join(t.TempDir(), "eidbridge", "config.json")
	ctx := context.Background()
	if err := runAllow(ctx, []string{"--config", path, "HTTPS://Portal.Example.BE"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := agent.LoadConfig(path)
	if err != nil || len(cfg.AllowedOrigins) != 3 || cfg.AllowedOrigins[2] != "https://portal.example.be" {
		t.Fatalf("after allow: %+v, %v", cfg.AllowedOrigins, err)
	}
	if err := runAllow(ctx, []string{"--config", path, "http://portal.example.be"}); err == nil {
		t.Error("http origin for a public host allowed")
	}
	if err := runDisallow(ctx, []string{"--config", path, "https://*.belgium.be"}); err != nil {
		t.Fatal(err)
	}
	cfg, _ = agent.LoadConfig(path)
	if !reflect.DeepEqual(cfg.AllowedOrigins, []string{"https://*.fgov.be", "https://portal.example.be"}) {
		t.Errorf("after disallow: %v", cfg.AllowedOrigins)
	}
	if err := runDisallow(ctx, []string{"--config", path, "https://*.belgium.be"}); err == nil {
		t.Error("disallowing an absent origin succeeded")
	}
	if err := runAllow(ctx, []string{"--config", path}); !errors.Is(err, errUsage) {
		t.Errorf("allow without ORIGIN: %v", err)
	}
	if err := runOrigins(ctx, []string{"--config", path}); err != nil {
		t.Error(err)
	}
}
