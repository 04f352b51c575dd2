// Package docs holds the project's documentation; its test checks that
// every relative link in the README and the docs leads somewhere.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// mdLink is a Markdown link or image target, without its #fragment.
var mdLink = regexp.MustCompile(`\]\(([^)#\s]*)(#[^)\s]*)?\)`)

var heading = regexp.MustCompile(`(?m)^#+ (.+)$`)

func TestRelativeLinksWork(t *testing.T) {
	files, _ := filepath.Glob("*.md")
	files = append(files, "../README.md")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target, frag := m[1], strings.TrimPrefix(m[2], "#")
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			path := f
			if target != "" {
				path = filepath.Join(filepath.Dir(f), target)
			}
			body, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%s links to %s: %v", f, m[0], err)
				continue
			}
			if frag != "" && strings.HasSuffix(path, ".md") && !hasAnchor(string(body), frag) {
				t.Errorf("%s links to %s: no such heading in %s", f, m[0], path)
			}
		}
	}
}

// hasAnchor: some heading of the Markdown text makes the GitHub anchor.
func hasAnchor(md, frag string) bool {
	for _, h := range heading.FindAllStringSubmatch(md, -1) {
		a := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z':
				return r
			}
			return -1
		}, strings.ToLower(h[1]))
		if a == frag {
			return true
		}
	}
	return false
}
