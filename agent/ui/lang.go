package ui

import (
	"embed"
	"os"
	"strings"
	"sync"

	msgcat "github.com/eidbridge/eidbridge/internal/catalog"

	"golang.org/x/text/language"
)

// The dialogs speak Dutch, French, German and English, from catalogues
// in the portal's format (i18n/LANG.json: one message a key). The page's
// language decides (a BCP 47 tag such as "nl-BE", as Web eID passes it),
// else the desktop's, else English.

// Languages the dialogs speak, the fallback first.
var Languages = []string{"en", "nl", "fr", "de"}

//go:embed i18n/*.json
var catalogFS embed.FS

// catalogs are read when first needed: the agent's start stays light.
var catalogs = sync.OnceValue(func() map[string]*msgcat.Catalog {
	cats, err := msgcat.Load(catalogFS, "i18n", Languages)
	if err != nil {
		panic("ui: " + err.Error()) // embedded and tested: cannot happen
	}
	return cats
})

var matcher = sync.OnceValue(func() language.Matcher {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l)
	}
	return language.NewMatcher(tags)
})

// PickLang is the dialog language for the page's tag: the best of
// Languages for it, else for the desktop's locale, else English.
func PickLang(page string) string {
	for _, want := range []string{page, desktopLocale()} {
		if l, ok := match(want); ok {
			return l
		}
	}
	return Languages[0]
}

func match(tag string) (string, bool) {
	if tag == "" || len(tag) > 64 {
		return "", false
	}
	_, i, conf := matcher().Match(language.Make(tag))
	return Languages[i], conf != language.No
}

// desktopLocale is the user's locale as Unix sets it (LC_ALL, then
// LC_MESSAGES, then LANG: "nl_BE.UTF-8" becomes "nl-BE").
func desktopLocale() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" && s != "C" && s != "POSIX" {
			s, _, _ = strings.Cut(s, ".")
			s, _, _ = strings.Cut(s, "@")
			return strings.ReplaceAll(s, "_", "-")
		}
	}
	return ""
}

// T is the message key in lang (English when lang is not one of
// Languages), formatted with args when given.
func T(lang, key string, args ...any) string {
	c, ok := catalogs()[lang]
	if !ok {
		c = catalogs()[Languages[0]]
	}
	return c.T(key, args...)
}
