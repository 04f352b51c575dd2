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
	evLoginFailed   = "auth.failed"
	evLoginOK       = "auth.ok"
	evCodeWrong     = "auth.code.wrong"
	evLocked        = "auth.locked"
	evOfficerFailed = "desk.login.failed"
	evOfficerLogin  = "desk.login"
	evOfficerReg    = "desk.register"
	evEIDRefused    = "eid.refused"
	evEIDRevoked    = "eid.revoked"
	evRefused       = "refused"
	evServiceLogin  = "service.login" // a citizen logged in to a service (idp)
	evRateLimited   = "rate.limited"
)

// event logs one security event for request r.
func (p *Portal) event(r *http.Request, name string, attrs ...any) {
	p.log.Warn("security event", append([]any{slog.String("event", name), slog.String("client", p.clientIP(r)),
		slog.String("path", r.URL.Path)}, attrs...)...)
}
