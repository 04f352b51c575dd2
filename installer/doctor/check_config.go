package doctor

import (
	"fmt"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
)

func checkConfig(ci ConfigInfo) Result {
	r := Result{ID: "config", Title: "configuration"}
	switch {
	case ci.Err != nil:
		r.Status, r.Detail = Fail, fmt.Sprintf("the agent will not start: %v", ci.Err)
		r.Fix = fmt.Sprintf("correct %s (a JSON file; the error names the bad setting), or delete it to go back to the defaults", ci.Path)
	case !ci.Exists:
		r.Status, r.Detail = OK, fmt.Sprintf("no file at %s, so the defaults apply (port %d)", ci.Path, agent.DefaultPort)
	default:
		r.Status, r.Detail = OK, fmt.Sprintf("%s is valid (port %d, %s dialogs)", ci.Path, ci.Config.Port, ci.Config.UI)
	}
	return r
}

// checkAllowlist looks at which websites may use the agent. The agent
// itself refuses a malformed list (checkConfig); this says whether the
// list makes sense.
func checkAllowlist(ci ConfigInfo) Result {
	r := Result{ID: "allowlist", Title: "allowed websites"}
	if ci.Err != nil {
		r.Status, r.Detail = Skip, "the configuration must be fixed first"
		return r
	}
	list := ci.Config.AllowedOrigins
	if len(list) == 0 {
		r.Status, r.Detail = Warn, "the list is empty: no website can use your card"
		r.Fix = "allow the sites you use: eidbridge allow https://site.example.be (then restart the agent: eidbridge stop; eidbridge start)"
		return r
	}
	var local []string
	for _, p := range list {
		if o, err := agent.ParsePattern(p); err == nil && o.Scheme == "http" {
			local = append(local, p)
		}
	}
	r.Status, r.Detail = OK, fmt.Sprintf("%d allowed: %s", len(list), strings.Join(list, ", "))
	if len(local) > 0 {
		r.Status = Warn
		r.Detail += fmt.Sprintf("; %s %s plain http on this computer, which any local program can serve",
			strings.Join(local, ", "), plural(len(local), "is", "are"))
		r.Fix = "keep these only while developing a website: eidbridge disallow " + local[0]
	}
	return r
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
