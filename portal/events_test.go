package portal

import (
	"strings"
	"testing"
	"time"
)

// 250 failed passwords and codes used to leave no entry. Each failure,
// lockout, success and officer action is now one line with the event
// and the client's address, and no password, code or national number.
func TestSecurityEventsLogged(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.MaxLoginFailures = 3; c.LockDuration = time.Hour })
	codes := onlineAccount(t, e)
	e.browser().login("nobody.here", "guessed password 1", func(int) string { return "" })
	e.browser().login(user1, "guessed password 2", func(int) string { return "" })
	var wrongCode string
	e.browser().login(user1, pass1, func(p int) string { wrongCode = wrong(codes[p]); return wrongCode })
	e.browser().login(user1, "guessed password 3", func(int) string { return "" }) // the third: locked
	e.clock.add(time.Hour)
	e.browser().login(user1, pass1, func(p int) string { return codes[p] })
	e.browser().officerLogin(loadCard(t, "citizen-1.8")) // before anyone is an officer: refused
	e.register(desk("85031486536"))

	logs := e.logs.String()
	for _, want := range []string{"event=auth.failed", `reason="unknown username"`, `reason="wrong password"`,
		"event=auth.code.wrong", "event=auth.locked", "event=auth.ok", "event=desk.login.failed",
		"event=desk.login ", "event=desk.register", "client=127.0.0.1"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %s", want)
		}
	}
	for _, secret := range []string{"guessed password", pass1, wrongCode, codes[1], "85031486536"} {
		if strings.Contains(logs, secret) {
			t.Errorf("the log holds a secret: %q", secret)
		}
	}
}
