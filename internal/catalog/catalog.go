// Package catalog holds message catalogues as the portal, the demo
// service and the agent's dialogs keep them: one JSON object a language
// (DIR/LANG.json), message id to text, with fmt verbs for arguments.
package catalog

import (
	"encoding/json"
	"fmt"
	"io/fs"
)

// Catalog is one language's messages.
type Catalog struct {
	Lang string
	m    map[string]string
}

// T is the message for key, formatted with args when given. A missing
// key shows as !key, which the catalogue tests catch.
func (c *Catalog) T(key string, args ...any) string {
	s, ok := c.m[key]
	if !ok {
		return "!" + key
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Lookup is the message for key as it stands, and whether there is one.
func (c *Catalog) Lookup(key string) (string, bool) {
	s, ok := c.m[key]
	return s, ok
}

// Messages are the catalogue's messages by id, for tests that compare
// catalogues; callers must not change them.
func (c *Catalog) Messages() map[string]string { return c.m }

// Load reads DIR/LANG.json from fsys for each of langs.
func Load(fsys fs.FS, dir string, langs []string) (map[string]*Catalog, error) {
	cats := map[string]*Catalog{}
	for _, l := range langs {
		b, err := fs.ReadFile(fsys, dir+"/"+l+".json")
		if err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		c := &Catalog{Lang: l}
		if err := json.Unmarshal(b, &c.m); err != nil {
			return nil, fmt.Errorf("catalogue %s: %w", l, err)
		}
		cats[l] = c
	}
	return cats, nil
}
