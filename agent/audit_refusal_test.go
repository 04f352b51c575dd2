package agent

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestRefusalAuditThrottlesPerOrigin(t *testing.T) {
	var buf bytes.Buffer
	a := NewAudit(&buf)
	r := newRefusalAudit()
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	r.record(a, "https://evil.test", t0)
	r.record(a, "https://evil.test", t0.Add(30*time.Second)) // within the window
	r.record(a, "https://other.test", t0.Add(31*time.Second))
	r.record(a, "", t0.Add(32*time.Second))
	r.record(a, "https://evil.test", t0.Add(61*time.Second)) // a new window
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{"https://evil.test", "https://other.test", "(none)", "https://evil.test"}
	if len(lines) != len(want) {
		t.Fatalf("audit lines %q, want %d", lines, len(want))
	}
	for i, l := range lines {
		var rec AuditRecord
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatal(err)
		}
		if rec.Origin != want[i] || rec.Operation != "connect" || rec.Outcome != "REFUSED" {
			t.Errorf("line %d: %+v, want origin %s refused", i, rec, want[i])
		}
	}
}

func TestRefusalAuditMemoryIsBounded(t *testing.T) {
	r := newRefusalAudit()
	a := NewAudit(&bytes.Buffer{})
	now := time.Now()
	for i := 0; i < 3*refusalOrigins; i++ {
		r.record(a, "https://x"+strings.Repeat("y", i%50)+".test/"+string(rune('a'+i%26))+time.Duration(i).String(), now)
	}
	if len(r.last) > refusalOrigins {
		t.Errorf("remembers %d origins, bound %d", len(r.last), refusalOrigins)
	}
}
