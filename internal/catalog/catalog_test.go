package catalog

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoadAndT(t *testing.T) {
	fsys := fstest.MapFS{"i18n/nl.json": {Data: []byte(`{"hi": "Dag %s"}`)}, "i18n/fr.json": {Data: []byte(`{"hi": "Bonjour %s"}`)}}
	cats, err := Load(fsys, "i18n", []string{"nl", "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if got := cats["fr"].T("hi", "Marie"); got != "Bonjour Marie" || cats["fr"].Lang != "fr" {
		t.Errorf("fr hi: %q", got)
	}
	if got := cats["nl"].T("missing"); got != "!missing" {
		t.Errorf("a missing key: %q", got)
	}
	if _, err := Load(fsys, "i18n", []string{"de"}); err == nil || !strings.Contains(err.Error(), "catalogue de") {
		t.Errorf("a missing language: %v", err)
	}
	bad := fstest.MapFS{"i18n/en.json": {Data: []byte(`[1]`)}}
	if _, err := Load(bad, "i18n", []string{"en"}); err == nil || !strings.Contains(err.Error(), "catalogue en") {
		t.Errorf("a malformed catalogue: %v", err)
	}
}
