package nmhost

import (
	"encoding/json"
	"errors"
	"io"

	"github.com/eidbridge/eidbridge/agent"
)

// The extension asks {"query":"origins"} before it starts a relay for a
// site it has not seen allowed, so that pages of other sites start no
// host at all (each host is a process). The answer is the configuration
// file's allowlist, which `eidbridge run` uses unless --allow-origin
// replaces it, and its firstContact setting; the agent still decides
// every connection.

// configuredOrigins is the allowlist of cfg in canonical form. When the
// file could not be read it is empty: the agent would not start with it
// either, and the extension then starts nothing until it is fixed.
func configuredOrigins(cfg agent.Config, loadErr error) []string {
	if loadErr != nil {
		return []string{}
	}
	a, err := agent.NewAllowlist(cfg.AllowedOrigins)
	if err != nil {
		return []string{}
	}
	return a.Patterns()
}

// writeOrigins answers the query: the allowlist, and whether https sites
// outside it may ask the citizen (then the extension starts a host for
// them too, within its limits, and the agent's dialog decides).
func writeOrigins(out io.Writer, origins []string, firstContact bool) error {
	if origins == nil {
		origins = []string{}
	}
	b, _ := json.Marshal(struct {
		Origins      []string `json:"origins"`
		FirstContact bool     `json:"firstContact"`
	}{origins, firstContact})
	return WriteFrame(out, b)
}

// refusedOrigin reports whether the agent refused the relay's origin:
// after both sides proved they hold the relay key, it said the origin is
// not allowed. Nothing else (not running, full, a failed proof) is.
func refusedOrigin(err error) bool { return errors.Is(err, agent.ErrOriginRefused) }
