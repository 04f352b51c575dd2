package demoservice

import (
	"io/fs"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestLanguageSelection: ?lang= wins and is remembered, then the cookie,
// then Accept-Language (regional variants included), then Dutch.
func TestLanguageSelection(t *testing.T) {
	rg := newRig(t)
	for _, c := range []struct {
		path, accept, want string
	}{
		{"/", "", "nl"},
		{"/", "es-ES,es;q=0.9", "nl"},
		{"/", "fr-BE,fr;q=0.9,en;q=0.5", "fr"},
		{"/", "de-DE", "de"},
		{"/", "en-GB,en;q=0.8", "en"},
		{"/", "nl-BE", "nl"},
		{"/", "es,de;q=0.5", "de"},
		{"/?lang=xx", "en", "en"},
	} {
		_, page := rg.browser().get(c.path, "Accept-Language", c.accept)
		if got := find(t, `<html lang="([a-z]+)"`, page); got != c.want {
			t.Errorf("%s with Accept-Language %q: %s, want %s", c.path, c.accept, got, c.want)
		}
	}
	b := rg.browser()
	if _, page := b.get("/?lang=de", "Accept-Language", "fr"); !strings.Contains(page, `lang="de"`) {
		t.Error("?lang=de did not win over Accept-Language")
	}
	_, page := b.get("/", "Accept-Language", "fr")
	if got := find(t, `<html lang="([a-z]+)"`, page); got != "de" {
		t.Errorf("the remembered language is %s, want de (the cookie before Accept-Language)", got)
	}
	wantText(t, page, "Bei MyDemo anmelden")
}

// TestCatalogues: the four languages have the same keys, none empty, the
// same %-verbs, and every key the pages and the code use.
func TestCatalogues(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	ref := cats["en"].Messages()
	for _, l := range languages {
		m := cats[l].Messages()
		if !slices.Equal(slices.Sorted(maps.Keys(m)), slices.Sorted(maps.Keys(ref))) {
			t.Errorf("%s does not have the same keys as en", l)
		}
		for k, v := range m {
			if strings.TrimSpace(v) == "" || strings.Count(v, "%") != strings.Count(ref[k], "%") {
				t.Errorf("%s %s: %q (en: %q)", l, k, v, ref[k])
			}
		}
	}
	for _, k := range usedKeys(t) {
		if _, ok := ref[k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
	for _, k := range []string{"home.intro", "me.how.token", "me.how.eid", "err.denied", "err.csrf"} {
		if cats["nl"].T(k) == cats["fr"].T(k) || cats["de"].T(k) == cats["en"].T(k) {
			t.Errorf("%s reads the same in two languages", k)
		}
	}
}

// usedKeys are the catalogue keys quoted in the templates and in the
// code: "err.x" style strings.
func usedKeys(t *testing.T) []string {
	t.Helper()
	keyRE := regexp.MustCompile(`"((?:site|nav|home|me|err|amr|time)\.[a-z_.]+)"`)
	var keys []string
	add := func(src []byte) {
		for _, m := range keyRE.FindAllSubmatch(src, -1) {
			keys = append(keys, string(m[1]))
		}
	}
	fs.WalkDir(templateFS, ".", func(p string, d fs.DirEntry, _ error) error {
		if !d.IsDir() {
			b, _ := fs.ReadFile(templateFS, p)
			add(b)
		}
		return nil
	})
	for _, f := range []string{"login.go", "render.go", "session.go", "me.go", "i18n.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		add(b)
	}
	for _, v := range knownAMR {
		keys = append(keys, "amr."+v)
	}
	for _, l := range languages {
		keys = append(keys, "lang."+l)
	}
	return keys
}

// TestTimeLayouts: each language's date is a date, not layout digits.
func TestTimeLayouts(t *testing.T) {
	cats, _ := loadCatalogs()
	tm := time.Date(2026, 3, 5, 14, 7, 9, 0, time.Local)
	for _, l := range languages {
		s := timeIn(cats[l], tm)
		if strings.Contains(s, "2006") || !strings.Contains(s, "2026") {
			t.Errorf("%s: %q", l, s)
		}
	}
}
