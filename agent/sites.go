package agent

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/eidbridge/eidbridge/internal/atomicfile"
)

// SitesFile holds the citizen's answers to first-contact dialogs, beside
// config.json: the configuration is the administrator's allowlist, this
// file is what the citizen said to sites outside it.
const SitesFile = "sites.json"

// SiteAnswers are the remembered answers. "Always" is kept per origin
// (exactly the site the citizen saw); "no" per site, the registrable
// domain (example.com for https://a.example.com:8443), so a page cannot
// nag again from a fresh subdomain.
//
//	{
//	  "always": {"https://shop.example.com": "2026-12-06T10:00:00Z"},
//	  "no": {"example.net": "2026-12-07T10:00:00Z"}
//	}
type SiteAnswers struct {
	Always map[string]time.Time `json:"always"` // origin → when it was allowed
	No     map[string]time.Time `json:"no"`     // site → until when
}

// LoadSiteAnswers reads path; a missing file is no answers. The file
// must be private to the user, as the configuration must: it allows
// sites to ask for the card.
func LoadSiteAnswers(path string) (SiteAnswers, error) {
	a := SiteAnswers{Always: map[string]time.Time{}, No: map[string]time.Time{}}
	b, err := readPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		return a, nil
	}
	if err != nil {
		return a, fmt.Errorf("reading the site answers: %w", err)
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return a, fmt.Errorf("reading the site answers %s: %w", path, err)
	}
	return a.checked(path)
}

// checked refuses entries that are not what the agent writes, so a hand
// edit cannot allow more than one origin per entry.
func (a SiteAnswers) checked(path string) (SiteAnswers, error) {
	if a.Always == nil {
		a.Always = map[string]time.Time{}
	}
	if a.No == nil {
		a.No = map[string]time.Time{}
	}
	for o := range a.Always {
		if p, err := ParseOrigin(o); err != nil || p.String() != o || !askable(p) {
			return a, fmt.Errorf("the site answers %s: %q is not an https origin in canonical form", path, o)
		}
	}
	for s := range a.No {
		if site, err := siteOf(s); err != nil || site != s {
			return a, fmt.Errorf("the site answers %s: %q is not a registrable domain", path, s)
		}
	}
	return a, nil
}

// Save writes the answers atomically, private to the user.
func (a SiteAnswers) Save(path string) error {
	b, err := json.MarshalIndent(a, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, append(b, '\n'), 0o600, 0o700); err != nil {
		return fmt.Errorf("writing the site answers: %w", err)
	}
	return nil
}

// Forget removes what was answered for name, an origin ("always") or a
// site ("no"); it reports whether there was anything.
func (a SiteAnswers) Forget(name string) bool {
	_, always := a.Always[name]
	_, no := a.No[name]
	delete(a.Always, name)
	delete(a.No, name)
	return always || no
}

// Prune drops "no" answers that have run out at now.
func (a SiteAnswers) Prune(now time.Time) {
	for s, until := range a.No {
		if !now.Before(until) {
			delete(a.No, s)
		}
	}
}

// fileStamp tells whether a file changed since it was read.
type fileStamp struct {
	mod  time.Time
	size int64
	ok   bool
}

func stampOf(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{mod: fi.ModTime(), size: fi.Size(), ok: true}
}
