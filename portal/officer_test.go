package portal

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The desk had one shared password, no lockout and no accountability.
// Officers now log in with their own eID, each registration records its
// officer, removing an officer ends their rights at once, and there is no
// password to guess.
func TestOfficersLogInWithTheirOwnEID(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	ctx := context.Background()
	if r := e.browser().post("/officer/login", url.Values{"password": {"anything"}}); r.status == http.StatusOK {
		t.Error("the shared desk password still opens the desk")
	}
	if status, m := e.browser().officerLogin(loadCard(t, "citizen-1.8")); status != http.StatusForbidden || m["error"] != "err.officer.notofficer" {
		t.Errorf("a card that is no officer's: %d %v", status, m)
	}
	clerk := e.officer()
	officers, err := e.p.Officers(ctx)
	if err != nil || len(officers) != 1 {
		t.Fatalf("officers: %v %v", officers, err)
	}
	e.register(desk("85031486536"))
	var by int64
	if err := e.p.db.QueryRow(`SELECT officer_id FROM activations ORDER BY id DESC LIMIT 1`).Scan(&by); err != nil || by != officers[0].ID {
		t.Errorf("the registration names officer %d (%v), want %d", by, err, officers[0].ID)
	}
	if logs := e.logs.String(); !strings.Contains(logs, "event=desk.register") || !strings.Contains(logs, "officer=") {
		t.Errorf("the registration is not logged under its officer:\n%s", logs)
	}
	if err := e.p.RemoveOfficer(ctx, officers[0].NationalNumber); err != nil {
		t.Fatal(err)
	}
	if r := clerk.submit("/officer", "/officer/register", desk2()); r.status != http.StatusForbidden && !strings.Contains(r.body, `data-flow="officer"`) {
		t.Errorf("a removed officer's session still registers: %d", r.status)
	}
}

func desk2() url.Values { return desk("90122461359") }
