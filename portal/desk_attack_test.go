package portal

import (
	"context"
	"strings"
	"testing"
)

// A desk registration used to overwrite an existing account's e-mail,
// name and address at once, even if never activated: the citizen's next
// online token then went to the new address. Nothing changes until the
// activation completes.
func TestDeskRegistrationChangesNothingUntilActivated(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	onlineAccount(t, e)
	ctx := context.Background()
	before, err := findCitizen(ctx, e.p.db, "username", user1)
	if err != nil || before == nil {
		t.Fatal(err)
	}
	form := desk(before.NationalNumber)
	form.Set("email", "impostor@evil.example")
	form.Set("street", "Elders 9")
	e.register(form)

	if r := e.browser().requestOnline(loadCard(t, "citizen-1.8"), "", "", ""); r.path != "/request/sent" {
		t.Fatalf("online renewal: %s", r.path)
	}
	if to := e.last().to; to != mail1 {
		t.Errorf("the renewed token went to %q, want the address on file %q", to, mail1)
	}
	now, _ := findCitizen(ctx, e.p.db, "id", before.ID)
	if now.Email != before.Email || now.Street != before.Street || now.Surname != before.Surname {
		t.Errorf("an unactivated registration changed the account: %+v", now)
	}

	// The online token cancelled that registration; a new one, activated,
	// is applied.
	code, link := e.register(form)
	b := e.browser()
	if r := b.submit(link, link, activationForm(code, "jan.desk", "a good long password")); r.path != "/request/sent" {
		t.Fatalf("activation: %d %s", r.status, r.path)
	}
	after, _ := findCitizen(ctx, e.p.db, "id", before.ID)
	if after.Email != "impostor@evil.example" || !strings.Contains(after.Street, "Elders") {
		t.Errorf("the activated registration was not applied: %+v", after)
	}
}
