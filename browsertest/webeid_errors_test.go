package browsertest

import (
	"strings"
	"testing"
	"time"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

// The failures a Web eID page meets, each with the code web-eid.js knows
// and ours beside it (and a message in the page's language): a site the
// agent does not allow, no card, the citizen's cancel (and the agent's
// back-off right after it), and the page's userInteractionTimeout, which
// also closes the agent's dialog.
func TestWebEIDErrors(t *testing.T) {
	s := newWebEIDScenario(t, false)
	s.open("localhost") // the agent allows 127.0.0.1 only
	wantFailure(t, "a site the agent does not allow", s.call("authenticate", "login()"),
		"ERR_WEBEID_NATIVE_UNAVAILABLE", "AGENT_UNAVAILABLE")
	if q, shown := s.agent.question(); shown {
		t.Errorf("a dialog was shown for a refused site: %+v", q)
	}

	s.open("127.0.0.1")
	s.agent.cards.Remove(reader)
	noCard := s.call("authenticate", "login()")
	wantFailure(t, "no card", noCard, "ERR_WEBEID_NATIVE_FATAL", "NO_CARD")
	if !strings.HasPrefix(noCard.Error.Message, "Aucune carte eID") {
		t.Errorf("the message for the citizen is not in the page's language (fr): %q", noCard.Error.Message)
	}
	content, err := virtualcard.Load(fixtureDir)
	if err != nil {
		t.Fatal(err)
	}
	s.agent.cards.Insert(reader, virtualcard.New(content))

	s.agent.answer("cancel")
	wantFailure(t, "the citizen cancels", s.call("authenticate", "login()"), "ERR_WEBEID_USER_CANCELLED", "USER_CANCELLED")
	backOffEnds := time.Now().Add(2100 * time.Millisecond)
	wantFailure(t, "right after a cancel", s.call("authenticate", "login()"), "ERR_WEBEID_NATIVE_FATAL", "RATE_LIMITED")

	time.Sleep(time.Until(backOffEnds))
	s.agent.answer("hold")
	start := time.Now()
	wantFailure(t, "the citizen does not answer", s.call("authenticate", "login({userInteractionTimeout: 1500})"),
		"ERR_WEBEID_USER_TIMEOUT", "USER_TIMEOUT")
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the page waited %v for a 1.5 s userInteractionTimeout", took)
	}
	// The agent's dialog closes with it: the operation ends, cancelled.
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if strings.Count(s.agent.audit.String(), `"outcome":"USER_CANCELLED"`) == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the held dialog was not closed after the timeout; audit:\n%s", s.agent.audit)
		}
	}
}
