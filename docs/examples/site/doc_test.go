package main

import (
	"os"
	"strings"
	"testing"
)

// TestDocShowsTheExample keeps docs/verify.md and this program in step:
// the guide shows each file whole, exactly as it compiles here.
func TestDocShowsTheExample(t *testing.T) {
	doc, err := os.ReadFile("../../verify.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct{ name, lang string }{{"main.go", "go"}, {"site.go", "go"}, {"page.html", "html"}} {
		src, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if block := "```" + f.lang + "\n" + string(src) + "```\n"; !strings.Contains(string(doc), block) {
			t.Errorf("docs/verify.md does not show %s as it is: copy it whole into a ```%s block", f.name, f.lang)
		}
	}
}
