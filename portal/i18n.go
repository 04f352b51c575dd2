package portal

import (
	"embed"
	"net/http"
	"strings"

	msgcat "github.com/eidbridge/eidbridge/internal/catalog"
)

// Languages the portal speaks, in the order Belgian federal sites list
// them; the first is the default (the service's seed text is Dutch).
var languages = []string{"nl", "fr", "de", "en"}

//go:embed i18n/*.json
var catalogFS embed.FS

// catalog is one language's messages (internal/catalog).
type catalog = msgcat.Catalog

func loadCatalogs() (map[string]*catalog, error) { return msgcat.Load(catalogFS, "i18n", languages) }

func knownLang(l string) bool {
	for _, k := range languages {
		if l == k {
			return true
		}
	}
	return false
}

// pickLang: ?lang= (remembered in a cookie), then the cookie, then the
// browser's Accept-Language, then Dutch.
func pickLang(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); knownLang(l) {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && knownLang(c.Value) {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if l, _, _ := strings.Cut(strings.ToLower(tag), "-"); knownLang(l) {
			return l
		}
	}
	return languages[0]
}

// cat is the catalogue for lang, Dutch when lang is unknown.
func (p *Portal) cat(lang string) *catalog {
	if c, ok := p.cats[lang]; ok {
		return c
	}
	return p.cats[languages[0]]
}
