package portal

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// Languages the portal speaks, in the order Belgian federal sites list
// them; the first is the default (the service's seed text is Dutch).
var languages = []string{"nl", "fr", "de", "en"}

//go:embed i18n/*.json
var catalogFS embed.FS

// catalog is one language's messages, keyed by message id.
type catalog struct {
	Lang string
	m    map[string]string
}

// T returns the message for key, formatted with args when given. A
// missing key shows as !key, which the catalogue tests catch.
func (c *catalog) T(key string, args ...any) string {
	s, ok := c.m[key]
	if !ok {
		return "!" + key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

func loadCatalogs() (map[string]*catalog, error) {
	cats := map[string]*catalog{}
	for _, l := range languages {
		b, err := catalogFS.ReadFile("i18n/" + l + ".json")
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		c := &catalog{Lang: l}
		if err := json.Unmarshal(b, &c.m); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		cats[l] = c
	}
	return cats, nil
}

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
