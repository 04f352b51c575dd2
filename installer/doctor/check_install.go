package doctor

import (
	"fmt"
	"strings"
)

// ServiceInfo is how the agent is set up to start at login.
type ServiceInfo struct {
	Installed bool
	// By says who set it up: "eidbridge install" or "the package".
	By string
	// Where is the unit, plist or Run value.
	Where   string
	Enabled bool
	// State is the service manager's own word (systemctl is-enabled).
	State string
	Err   error
}

func checkService(s ServiceInfo, goos string) Result {
	r := Result{ID: "service", Title: "start at login"}
	switch {
	case s.Err != nil:
		r.Status, r.Detail = Warn, "could not be checked: "+s.Err.Error()
	case !s.Installed:
		r.Status, r.Detail = Fail, "the agent is not set up to start when you log in"
		r.Fix = "run: eidbridge install (or install the eidbridge package for all users)"
	case !s.Enabled:
		r.Status = Fail
		r.Detail = fmt.Sprintf("set up by %s (%s) but turned off (%s)", s.By, s.Where, s.State)
		r.Fix = "turn it back on: eidbridge install"
		if goos == "linux" && s.State == "masked" {
			r.Fix = "unmask it: systemctl --user unmask eidbridge.service; then eidbridge start"
		}
	default:
		r.Status, r.Detail = OK, fmt.Sprintf("set up by %s (%s)", s.By, s.Where)
	}
	return r
}

// HostInfo is one browser's native-messaging registration.
type HostInfo struct {
	Browser string
	// BrowserFound: the browser seems installed for this user.
	BrowserFound bool
	// Manifest is where the host manifest was found; "" when nowhere.
	Manifest string
	// Err: the manifest is there but unusable (bad JSON, wrong name).
	Err error
	// Program is the manifest's "path"; ProgramOK that it is executable.
	Program   string
	ProgramOK bool
}

const nmFix = "register it: eidbridge install (or eidbridge nm-host install)"

// checkNativeHosts gives one result per browser. A missing registration
// is a warning: websites can still reach the agent directly, but then
// Chromium browsers ask once per site to allow "local network access".
func checkNativeHosts(hosts []HostInfo) []Result {
	var out []Result
	for _, h := range hosts {
		r := Result{ID: "native-messaging/" + strings.ToLower(strings.ReplaceAll(h.Browser, " ", "-")),
			Title: "browser extension link (" + h.Browser + ")"}
		switch {
		case h.Manifest == "" && !h.BrowserFound:
			r.Status, r.Detail = Skip, "browser not found"
		case h.Manifest == "":
			r.Status, r.Detail, r.Fix = Warn, "not registered, so the eidbridge extension cannot reach the agent", nmFix
		case h.Err != nil:
			r.Status, r.Detail, r.Fix = Fail, fmt.Sprintf("%s is unusable: %v", h.Manifest, h.Err), nmFix
		case !h.ProgramOK:
			r.Status = Fail
			r.Detail = fmt.Sprintf("%s names %s, which is not an executable program", h.Manifest, h.Program)
			r.Fix = nmFix + " (the program was moved or removed)"
		default:
			r.Status, r.Detail = OK, "registered ("+h.Manifest+")"
		}
		out = append(out, r)
	}
	return out
}
