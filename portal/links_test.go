package portal

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var linkRE = regexp.MustCompile(`(?:href|src|data-install)="(/[^"?]*)`)

// Every link, script and stylesheet on the pages a visitor reaches from
// the home page, in every language, leads to a page that exists; the
// request page's install help is one of the portal's own pages.
func TestEveryLinkWorks(t *testing.T) {
	e := newEnv(t, "citizen-1.8")
	for _, lang := range languages {
		b := e.browser()
		seen := map[string]bool{}
		queue := []string{"/?lang=" + lang}
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			r := b.get(path)
			if r.status != http.StatusOK {
				t.Errorf("%s: GET %s: %d", lang, path, r.status)
				continue
			}
			if !strings.Contains(r.header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, m := range linkRE.FindAllStringSubmatch(r.body, -1) {
				if !seen[m[1]] && !strings.Contains(m[1], "{{") {
					seen[m[1]] = true
					queue = append(queue, m[1])
				}
			}
		}
		for _, want := range []string{"/request", "/help/install", "/login", "/static/request.js"} {
			if !seen[want] {
				t.Errorf("%s: no page links to %s (reached %v)", lang, want, seen)
			}
		}
	}
}

// The install help names the download page (configurable) in the
// visitor's language.
func TestInstallHelp(t *testing.T) {
	e := newEnv(t, "citizen-1.8", func(c *Config) { c.Downloads = "https://downloads.example.be/eidbridge" })
	b := e.browser()
	for lang, want := range map[string]string{"nl": "eidbridge installeren", "fr": "Installer eidbridge", "en": "Installing eidbridge"} {
		r := b.get("/help/install?lang=" + lang)
		if r.status != http.StatusOK || !strings.Contains(r.body, want) ||
			!strings.Contains(r.body, `href="https://downloads.example.be/eidbridge"`) {
			t.Errorf("%s: %d, want %q and the download link:\n%s", lang, r.status, want, r.body)
		}
	}
}
