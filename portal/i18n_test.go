package portal

import (
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// keyRE finds message keys in templates and Go code: "area.name..." in
// double quotes, for the areas the catalogues use.
var keyRE = regexp.MustCompile(`"((?:site|nav|lang|home|request|js|account|field|sent|login|code|me|officer|activate|mailbox|mail|card|letter|err)\.[a-z0-9.]+)"`)

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	seed := cats[languages[0]]
	for _, l := range languages {
		c := cats[l]
		for k, v := range c.m {
			if _, ok := seed.m[k]; !ok {
				t.Errorf("%s has %q, %s does not", l, k, seed.Lang)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", l, k)
			}
			if strings.Count(v, "%") != strings.Count(seed.m[k], "%") {
				t.Errorf("%s: %q has other placeholders than %s", l, k, seed.Lang)
			}
		}
		for k := range seed.m {
			if _, ok := c.m[k]; !ok {
				t.Errorf("%s lacks %q", l, k)
			}
		}
	}
}

// TestUsedKeysExist: every key the templates and the code name is in the
// catalogues, including those built from a variable part.
func TestUsedKeysExist(t *testing.T) {
	cats, err := loadCatalogs()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, l := range languages {
		used["lang."+l] = true
	}
	used["mailbox.kind."+kindMail], used["mailbox.kind."+kindLetter] = true, true
	files, _ := fs.Glob(templateFS, "*/*.html")
	for _, f := range files {
		b, _ := templateFS.ReadFile(f)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	goFiles, _ := fs.Glob(osFS, "*.go")
	for _, f := range goFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := fs.ReadFile(osFS, f)
		for _, m := range keyRE.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	if len(used) < 50 {
		t.Fatalf("found only %d keys: the scan is broken", len(used))
	}
	for k := range used {
		if _, ok := cats[languages[0]].m[k]; !ok {
			t.Errorf("key %q is used but not in the catalogues", k)
		}
	}
}

var osFS = os.DirFS(".")
