package eid

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Status is the outcome of one verification check.
type Status string

// Check outcomes. StatusNotChecked means the check could have been made
// but was not (a file was not read, no root to check against);
// StatusNotApplicable means it does not exist for this card;
// StatusUntrusted means a certificate chain is sound up to the card's
// root, but that root is neither pinned nor given as trusted.
const (
	StatusOK            Status = "ok"
	StatusFailed        Status = "failed"
	StatusNotApplicable Status = "not applicable"
	StatusNotChecked    Status = "not checked"
	StatusUntrusted     Status = "untrusted root"
)

// Names of the checks Verify makes, in report order.
const (
	CheckIdentitySignature = "identity signature"
	CheckAddressSignature  = "address signature"
	CheckPhotoHash         = "photo hash"
	CheckBasicKeyHash      = "basic key hash"
	CheckRRNIssuer         = "RRN certificate issued by card root"
	CheckRRNChain          = "RRN certificate chain"
	CheckAuthChain         = "authentication certificate chain"
	CheckSignChain         = "signature certificate chain"
	CheckCardRoot          = "card root certificate"
)

// Check is the outcome of one check with the reason for it.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail"`
}

// Report lists every check Verify made.
type Report struct {
	Checks []Check `json:"checks"`
}

// ErrVerification is wrapped by Report.Err.
var ErrVerification = errors.New("eid data verification failed")

// Find returns the check with the given name.
func (r Report) Find(name string) (Check, bool) {
	for _, c := range r.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return Check{}, false
}

// OK reports whether no check failed and the identity signature verified:
// without the latter nothing on the card is shown authentic. Checks that
// were not made (StatusNotChecked) or end at an untrusted root
// (StatusUntrusted) do not make OK false: the data is consistent. Trusted
// says whether it is also vouched for.
func (r Report) OK() bool {
	return r.Err() == nil
}

// Trusted reports whether OK holds, the RRN certificate chains to a
// trusted root and no chain ends at an untrusted one: the card data is
// what the National Register of a trusted PKI signed.
func (r Report) Trusted() bool {
	if !r.OK() {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == StatusUntrusted {
			return false
		}
	}
	rrn, _ := r.Find(CheckRRNChain)
	return rrn.Status == StatusOK
}

// Err is nil when OK is true; otherwise it wraps ErrVerification and names
// every failed check with its reason.
func (r Report) Err() error {
	var failed []string
	for _, c := range r.Checks {
		if c.Status == StatusFailed {
			failed = append(failed, c.Name+": "+c.Detail)
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%w: %s", ErrVerification, strings.Join(failed, "; "))
	}
	id, _ := r.Find(CheckIdentitySignature)
	if id.Status != StatusOK {
		return fmt.Errorf("%w: identity signature %s: %s", ErrVerification, id.Status, id.Detail)
	}
	return nil
}

// MarshalJSON adds the summary to the checks:
// {"ok":…,"trusted":…,"error":…,"checks":[…]}.
func (r Report) MarshalJSON() ([]byte, error) {
	out := struct {
		OK      bool    `json:"ok"`
		Trusted bool    `json:"trusted"`
		Error   string  `json:"error,omitempty"`
		Checks  []Check `json:"checks"`
	}{OK: r.OK(), Trusted: r.Trusted(), Checks: r.Checks}
	if err := r.Err(); err != nil {
		out.Error = err.Error()
	}
	return json.Marshal(out)
}

func (r *Report) add(name string, res checkResult) {
	r.Checks = append(r.Checks, Check{Name: name, Status: res.status, Detail: res.detail})
}

// checkResult is what one check method returns.
type checkResult struct {
	status Status
	detail string
}

func resOK(format string, args ...any) checkResult {
	return checkResult{StatusOK, fmt.Sprintf(format, args...)}
}

func resFailed(format string, args ...any) checkResult {
	return checkResult{StatusFailed, fmt.Sprintf(format, args...)}
}

func resNotChecked(format string, args ...any) checkResult {
	return checkResult{StatusNotChecked, fmt.Sprintf(format, args...)}
}

func resUntrusted(format string, args ...any) checkResult {
	return checkResult{StatusUntrusted, fmt.Sprintf(format, args...)}
}
