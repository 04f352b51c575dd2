package agent

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/publicsuffix"

	"github.com/eidbridge/eidbridge/agent/ui"
)

// FirstContact lets an https site outside the allowlist ask the citizen
// whether it may use the card at all, in the agent's own dialog ("this
// time only", "always", "no"). So that a page cannot use it to nag, to
// scan or to tire the citizen out:
//   - "no" is remembered for a day for the whole site (the registrable
//     domain), and a dialog left unanswered keeps the site quiet for ten
//     minutes, doubling up to a day;
//   - one such dialog at a time, and at most three in ten minutes in all;
//   - http, loopback, IP-address and malformed origins never ask: they
//     are refused silently, as before.
//
// "Always" is kept per origin in the answers file (SiteAnswers), which
// `eidbridge origins` shows and edits; a running agent rereads it when
// it changes. "This time only" lasts ten minutes, in memory.
type FirstContact struct {
	path string // "": answers in memory only

	mu      sync.Mutex
	answers SiteAnswers
	stamp   fileStamp
	once    map[string]time.Time // origin → until
	quiet   map[string]backoff   // site → no dialog until
	recent  []time.Time          // when the last dialogs were shown
	asking  bool
}

// How long answers last, and how many dialogs may come how fast.
const (
	onceFor          = 10 * time.Minute
	noFor            = 24 * time.Hour
	quietFirst       = 10 * time.Minute
	quietLast        = 24 * time.Hour
	promptWindow     = 10 * time.Minute
	promptsPerWindow = 3
)

// NewFirstContact reads the answers in path ("" keeps them in memory).
// A file that is there but cannot be used is an error: the agent must
// not start with answers it silently ignores.
func NewFirstContact(path string) (*FirstContact, error) {
	f := &FirstContact{path: path, once: map[string]time.Time{}, quiet: map[string]backoff{}}
	f.answers = SiteAnswers{Always: map[string]time.Time{}, No: map[string]time.Time{}}
	if path == "" {
		return f, nil
	}
	if err := f.reload(); err != nil {
		return nil, err
	}
	return f, nil
}

// reload rereads the file when it changed since it was read. Called with
// f.mu held (or before f is shared).
func (f *FirstContact) reload() error {
	st := stampOf(f.path)
	if f.path == "" || st == f.stamp {
		return nil
	}
	a, err := LoadSiteAnswers(f.path)
	if err != nil {
		return err
	}
	f.answers, f.stamp = a, st
	return nil
}

// Granted reports whether o may connect because of an earlier answer.
func (f *FirstContact) Granted(o Origin, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reload() // a broken file keeps the answers read before
	if _, ok := f.answers.Always[o.String()]; ok {
		return true
	}
	return now.Before(f.once[o.String()])
}

// noDialog is why reserve brought up no dialog; a busy one may be tried
// again soon (another dialog is open, the budget is spent), the others
// are the site's own doing.
type noDialog struct {
	why  string
	busy bool
}

// reserve decides whether o may bring up a dialog now; when it may, the
// dialog is counted and must be followed by answered. It returns o's
// site, or why there is no dialog.
func (f *FirstContact) reserve(o Origin, now time.Time) (string, *noDialog) {
	if !askable(o) {
		return "", &noDialog{why: "the origin is not an https site with a registrable domain"}
	}
	site, _ := siteOf(o.Host)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reload()
	f.dropOld(now)
	switch {
	case now.Before(f.answers.No[site]):
		return "", &noDialog{why: "the citizen said no to " + site}
	case now.Before(f.quiet[site].until):
		return "", &noDialog{why: "a dialog for " + site + " went unanswered"}
	case f.asking:
		return "", &noDialog{why: "another site's first-contact dialog is open", busy: true}
	case len(f.recent) >= promptsPerWindow:
		return "", &noDialog{why: fmt.Sprintf("%d first-contact dialogs in %v already", len(f.recent), promptWindow),
			busy: true}
	}
	f.asking = true
	f.recent = append(f.recent, now)
	return site, nil
}

// dropOld forgets dialogs older than the window.
func (f *FirstContact) dropOld(now time.Time) {
	i := 0
	for i < len(f.recent) && now.Sub(f.recent[i]) >= promptWindow {
		i++
	}
	f.recent = f.recent[i:]
}

// answered records the citizen's answer: AnswerOnce, AnswerAlways, "no"
// (refused) or "" (no answer: timeout, page gone). Only "always" and
// "no" are written to the file; a failed write is returned, and the
// answer still holds for this run.
func (f *FirstContact) answered(o Origin, site, answer string, now time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asking = false
	switch answer {
	case ui.AnswerOnce:
		f.once[o.String()] = now.Add(onceFor)
		delete(f.quiet, site)
		return nil
	case ui.AnswerAlways:
		f.answers.Always[o.String()] = now.UTC()
		delete(f.quiet, site)
	case answerNo:
		f.answers.Prune(now)
		f.answers.No[site] = now.Add(noFor).UTC()
	default:
		b := f.quiet[site]
		b.wait = min(max(2*b.wait, quietFirst), quietLast)
		b.until = now.Add(b.wait)
		f.quiet[site] = b
		return nil
	}
	return f.save()
}

// save writes the answers when there is a file; f.mu held.
func (f *FirstContact) save() error {
	if f.path == "" {
		return nil
	}
	if err := f.answers.Save(f.path); err != nil {
		return err
	}
	f.stamp = stampOf(f.path)
	return nil
}

// answerNo is the citizen's "no" to answered (the dialog's answers are
// ui.AnswerOnce and ui.AnswerAlways).
const answerNo = "no"

// askable: an origin that may bring up a first-contact dialog.
func askable(o Origin) bool {
	if o.Scheme != "https" || o.Wildcard() || o.Loopback() {
		return false
	}
	if _, err := netip.ParseAddr(strings.Trim(o.Host, "[]")); err == nil {
		return false
	}
	_, err := siteOf(o.Host)
	return err == nil
}

// siteOf is host's registrable domain (eTLD+1) by the public suffix
// list: "example.com" for "a.b.example.com", "x.github.io" for itself.
func siteOf(host string) (string, error) {
	site, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return "", err
	}
	if site == "" {
		return "", errors.New("no registrable domain")
	}
	return site, nil
}
