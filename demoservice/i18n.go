package demoservice

import (
	"embed"
	"net/http"
	"slices"
	"sync"
	"time"

	msgcat "github.com/eidbridge/eidbridge/internal/catalog"

	"golang.org/x/text/language"
)

// languages the service speaks, in the order Belgian federal sites list
// them; the first is the default, as on the portal.
var languages = []string{"nl", "fr", "de", "en"}

// matcher picks among them from Accept-Language; "nl-BE" is nl, "fr-CH" fr.
var matcher = sync.OnceValue(func() language.Matcher {
	return language.NewMatcher([]language.Tag{language.Dutch, language.French, language.German, language.English})
})

//go:embed i18n/*.json
var catalogFS embed.FS

// catalog is one language's texts (internal/catalog).
type catalog = msgcat.Catalog

// timeIn is t in the language's way (its time.layout), in the server's
// time zone (the demo runs on the citizen's computer).
func timeIn(c *catalog, t time.Time) string {
	return t.Local().Format(c.T("time.layout"))
}

func loadCatalogs() (map[string]*catalog, error) { return msgcat.Load(catalogFS, "i18n", languages) }

// lang is the request's catalogue: ?lang= (then remembered in a cookie),
// else the cookie, else the browser's Accept-Language, else Dutch.
func (s *Service) lang(w http.ResponseWriter, r *http.Request) *catalog {
	if l := r.URL.Query().Get("lang"); slices.Contains(languages, l) {
		s.setCookie(w, langCookie, l, "/", 365*24*3600)
		return s.cats[l]
	}
	if l := cookie(r, langCookie); slices.Contains(languages, l) {
		return s.cats[l]
	}
	return s.cats[acceptLanguage(r.Header.Get("Accept-Language"))]
}

// acceptLanguage is the best of the service's languages for an
// Accept-Language header; a header naming none of them gets Dutch.
func acceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return languages[0]
	}
	_, i, conf := matcher().Match(tags...)
	if conf == language.No {
		return languages[0]
	}
	return languages[i]
}
