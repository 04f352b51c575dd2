//go:build unix

package agent_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/eidbridge/eidbridge/agent"
)

// The audit log is not written through a link another process planted,
// nor into a directory others may write to or own.
func TestAuditLogRefusesLinksAndLooseDirectories(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	os.Mkdir(dir, 0o700)
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("keep\n"), 0o600)
	os.Symlink(victim, filepath.Join(dir, agent.AuditFile))
	if f, err := agent.OpenAuditLog(dir); err == nil {
		f.Close()
		t.Error("the audit log was opened through a link")
	}
	if b, _ := os.ReadFile(victim); string(b) != "keep\n" {
		t.Errorf("the link's target was changed: %q", b)
	}

	loose := filepath.Join(t.TempDir(), "loose")
	os.Mkdir(loose, 0o700)
	os.Chmod(loose, 0o777)
	if f, err := agent.OpenAuditLog(loose); err == nil || !strings.Contains(err.Error(), "chmod go-w") {
		if f != nil {
			f.Close()
		}
		t.Errorf("a 0777 state directory: %v, want a refusal saying chmod go-w", err)
	}
	if os.Geteuid() == 0 {
		other := filepath.Join(t.TempDir(), "other")
		os.Mkdir(other, 0o700)
		os.Chown(other, 65534, 65534)
		if f, err := agent.OpenAuditLog(other); err == nil || !strings.Contains(err.Error(), "belongs to uid 65534") {
			if f != nil {
				f.Close()
			}
			t.Errorf("another user's state directory: %v, want a refusal", err)
		}
	}
	good := filepath.Join(t.TempDir(), "good")
	f, err := agent.OpenAuditLog(good)
	if err != nil {
		t.Fatalf("a fresh state directory: %v", err)
	}
	f.Close()
}

// A configuration others may write (and so fill with their allowlist) is
// refused, as is one reached through a link.
func TestConfigMustBePrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "config.json")
	if err := agent.DefaultConfig().Save(path); err != nil {
		t.Fatal(err)
	}
	if _, err := agent.LoadConfig(path); err != nil {
		t.Fatalf("a private configuration: %v", err)
	}
	os.Chmod(path, 0o666)
	if _, err := agent.LoadConfig(path); err == nil {
		t.Error("a configuration writable by everyone was read")
	}
	link := filepath.Join(dir, "link.json")
	os.Chmod(path, 0o600)
	os.Symlink(path, link)
	if _, err := agent.LoadConfig(link); err == nil {
		t.Error("a configuration reached through a link was read")
	}
}

// What a local process puts in an Origin header reaches the log and the
// audit log escaped: no right-to-left override, no terminal escape.
func TestRefusalLogEscaped(t *testing.T) {
	e := start(t, "", newScriptUI())
	e.wantRefused("a bidi origin", "/v1", "", "https://evil\u202e.test")
	for name, s := range map[string]string{"log": e.logs.String(), "audit": e.audit.String()} {
		if strings.Contains(s, "\u202e") || !strings.Contains(s, `u202e`) {
			t.Errorf("%s does not escape the origin's U+202E:\n%s", name, s)
		}
	}
}
