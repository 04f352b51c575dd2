package doctor

import (
	"context"
	"fmt"
)

// Handshake is how a listener answered a websocket handshake without an
// Origin header, which the agent refuses with a bare 403.
type Handshake struct {
	Status int // the HTTP status of an answer
	// Dropped: reset without an HTTP answer, as the agent refuses.
	Dropped bool
}

// checkAgent tells whether the agent runs and whether the port is free
// for it. Who listens is read from the system's socket table (owner pid,
// program, user): that needs nothing from the agent, so the agent shows
// a scanning web page nothing new. The handshake only confirms that the
// listener refuses an unknown origin the way the agent does.
func checkAgent(ctx context.Context, env Env, port int) []Result {
	url := fmt.Sprintf("ws://127.0.0.1:%d/v1", port)
	ag := Result{ID: "agent", Title: "agent"}
	pt := Result{ID: "port", Title: fmt.Sprintf("port %d", port)}
	o, err := env.Listener(ctx, port)
	taken := func(who string) {
		pt.Status, pt.Detail = Fail, "taken by "+who
		pt.Fix = "stop that program, or give eidbridge another port (\"port\" in its configuration; " +
			"websites that connect directly must then be told)"
		ag.Status, ag.Detail, ag.Fix = Fail, "it cannot listen on "+url+": the port is taken (see the port check)", pt.Fix
	}
	switch {
	case o == nil && err == nil:
		ag.Status, ag.Detail, ag.Fix = Fail, "not running: nothing listens on "+url, startFix(env.GOOS)
		pt.Status, pt.Detail = OK, "free for the agent"
	case o != nil && o.IsEidbridge() && (o.UID == env.UID || o.UID < 0):
		pt.Status, pt.Detail = OK, "held by the agent"
		ag = agentAnswer(ctx, env, port, fmt.Sprintf("running (%s) and listening on %s", o, url))
	case o != nil && o.IsEidbridge():
		taken(fmt.Sprintf("another user's eidbridge (uid %d): the first user to log in gets the port", o.UID))
		pt.Fix = "only one user's agent can serve websites at a time: log the other user out, or stop their agent"
		ag.Fix = pt.Fix
	case o != nil && o.Exe != "":
		taken(o.String())
	default:
		hs, herr := env.Handshake(ctx, port)
		if herr == nil && hs.Dropped {
			ag.Status = Warn
			ag.Detail = "something listens on " + url + " and refuses unknown websites the way the agent does, " +
				"but this system does not say which program it is"
			ag.Fix = "if `eidbridge status` says the agent is stopped, another program holds the port"
			pt.Status, pt.Detail = Warn, "held by a program this user may not identify"
		} else {
			taken("another program, which does not answer like the agent")
		}
	}
	if err != nil {
		ag.Detail += fmt.Sprintf(" (looking up the listener: %v)", err)
	}
	return []Result{ag, pt}
}

// agentAnswer checks that our listener answers like the agent.
func agentAnswer(ctx context.Context, env Env, port int, running string) Result {
	r := Result{ID: "agent", Title: "agent", Status: OK, Detail: running}
	hs, err := env.Handshake(ctx, port)
	switch {
	case err != nil:
		r.Status, r.Detail = Warn, running+", but it did not answer a test connection: "+err.Error()
		r.Fix = "restart it: eidbridge stop; eidbridge start"
	case !hs.Dropped:
		r.Status = Warn
		r.Detail = fmt.Sprintf("%s, but it answered a connection without a website origin with HTTP %d instead of refusing it", running, hs.Status)
		r.Fix = "update eidbridge, or restart it: eidbridge stop; eidbridge start"
	default:
		r.Detail += "; it refuses connections from unknown websites"
	}
	return r
}

func startFix(goos string) string {
	switch goos {
	case "linux":
		return "start it: eidbridge start (if it stops again, journalctl --user -u eidbridge says why; not installed yet: eidbridge install)"
	case "darwin":
		return "start it: eidbridge start (if it stops again, ~/Library/Logs/eidbridge.log says why; not installed yet: eidbridge install)"
	}
	return "start it: eidbridge start, or log out and in again (not installed yet: eidbridge install)"
}
