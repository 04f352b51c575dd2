package agent

import (
	"fmt"
	"strings"
)

// DefaultOrigins are the sites allowed out of the box: the Belgian
// federal government's domains.
var DefaultOrigins = []string{"https://*.belgium.be", "https://*.fgov.be"}

// Allowlist decides which web origins may open a connection.
//
// Matching is exact on scheme, host and port after canonicalisation
// (see ParseOrigin). A pattern "https://*.example.be" matches any origin
// with one or more whole labels in front of ".example.be" on https and
// the default port: "https://a.example.be" and "https://a.b.example.be",
// never "https://example.be" itself, "https://evilexample.be" or
// "https://example.be.evil.test". A wildcard needs two labels after it,
// so a whole top-level domain (*.be) cannot be allowed by mistake.
type Allowlist struct {
	patterns []Origin
}

// NewAllowlist parses patterns; every bad entry is reported.
func NewAllowlist(patterns []string) (*Allowlist, error) {
	a := &Allowlist{}
	var errs []string
	for _, p := range patterns {
		o, err := ParsePattern(p)
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		a.patterns = append(a.patterns, o)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("allowed origins: %s", strings.Join(errs, "; "))
	}
	return a, nil
}

// Allows reports whether the origin o may connect.
func (a *Allowlist) Allows(o Origin) bool {
	if o.Wildcard() || (o.Scheme == "http" && !o.Loopback()) {
		return false
	}
	for _, p := range a.patterns {
		if p.Scheme != o.Scheme || p.Port != o.Port {
			continue
		}
		if p.Host == o.Host {
			return true
		}
		if suffix, ok := strings.CutPrefix(p.Host, "*"); ok && strings.HasSuffix(o.Host, suffix) &&
			len(o.Host) > len(suffix) {
			return true
		}
	}
	return false
}

// Patterns returns the canonical form of every pattern.
func (a *Allowlist) Patterns() []string {
	out := make([]string, len(a.patterns))
	for i, p := range a.patterns {
		out[i] = p.String()
	}
	return out
}
