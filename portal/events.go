package portal

import (
	"log/slog"
	"net/http"
)

// Security events go to the portal's log as one line each, under "event",
// with the client's address: failed and successful logins, wrong codes,
// lockouts, officer actions and refused requests. Citizens are named by
// internal id only; no password, code or national number is ever logged.
const (
	evLoginFailed   = "login.failed"
	evLoginOK       = "login.ok"
	evCodeWrong     = "login.code.wrong"
	evLocked        = "login.locked"
	evOfficerFailed = "officer.login.failed"
	evOfficerLogin  = "officer.login"
	evOfficerReg    = "officer.register"
	evEIDRefused    = "request.eid.refused"
	evRefused       = "request.refused"
	evRateLimited   = "request.rate.limited"
)

// event logs one security event for request r.
func (p *Portal) event(r *http.Request, name string, attrs ...any) {
	p.log.Warn("security event", append([]any{slog.String("event", name), slog.String("client", clientIP(r)),
		slog.String("path", r.URL.Path)}, attrs...)...)
}
