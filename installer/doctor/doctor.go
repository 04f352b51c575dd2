package doctor

import (
	"context"
	"time"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/installer"
)

// Env is what the checks look at. Real fills it for this machine; tests
// set each probe to a fake.
type Env struct {
	GOOS    string
	Version string
	Now     func() time.Time
	// UID is this user's id (-1 on Windows), to tell our agent from
	// another user's.
	UID         int
	Config      func() ConfigInfo
	Card        func(ctx context.Context) CardSnapshot
	Listener    func(ctx context.Context, port int) (*installer.Owner, error)
	Handshake   func(ctx context.Context, port int) (Handshake, error)
	Service     func(ctx context.Context) ServiceInfo
	NativeHosts func(ctx context.Context) []HostInfo
	// WebEID is which application answers Web eID sites; nil leaves
	// that check out.
	WebEID func(ctx context.Context) []WebEIDInfo
}

// ConfigInfo is the agent's configuration as the agent would load it.
type ConfigInfo struct {
	Path   string
	Exists bool
	Config agent.Config
	Err    error
}

// Run runs every check, in an order where a later check can lean on an
// earlier one (no card checks without pcscd, the port from the config).
func Run(ctx context.Context, env Env) *Report {
	r := &Report{Version: env.Version, OS: env.GOOS}
	ci := env.Config()
	r.Results = append(r.Results, checkConfig(ci), checkAllowlist(ci))
	port := agent.DefaultPort
	if ci.Err == nil {
		port = ci.Config.Port
	}
	r.Results = append(r.Results, checkCard(env.Card(ctx), env.GOOS, env.Now())...)
	r.Results = append(r.Results, checkAgent(ctx, env, port)...)
	r.Results = append(r.Results, checkService(env.Service(ctx), env.GOOS))
	r.Results = append(r.Results, checkNativeHosts(env.NativeHosts(ctx))...)
	if env.WebEID != nil {
		r.Results = append(r.Results, checkWebEID(env.WebEID(ctx))...)
	}
	return r
}
