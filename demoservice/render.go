package demoservice

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"strings"
	"sync"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var style []byte

// pages are parsed once, at the first page: not when the program starts,
// since every eidbridge command links this package. Each page template
// defines "content" and is cloned from the layout, so that pages do not
// overwrite each other's.
var pages = sync.OnceValue(func() map[string]*template.Template { return parsePages("home", "me", "message") })

func parsePages(names ...string) map[string]*template.Template {
	layout := template.Must(template.ParseFS(templateFS, "templates/layout.html"))
	m := map[string]*template.Template{}
	for _, n := range names {
		m[n] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+n+".html"))
	}
	return m
}

// page is what every template gets.
type page struct {
	L       *catalog
	Langs   []string
	Title   string // catalogue key of the heading
	Heading string // the heading's text, when it is not a key's (it names the citizen)
	Message string // catalogue key of a message page's text
	Detail  string // a message page's technical detail, such as the provider's error code
	Me      *mePage
}

// render writes the page, or a plain error if the template fails: the
// page is built in a buffer so that a half page never goes out.
func (s *Service) render(w http.ResponseWriter, status int, name string, p page) {
	p.Langs = languages
	var b bytes.Buffer
	if err := pages()[name].ExecuteTemplate(&b, "layout", p); err != nil {
		s.log.Error("rendering a page", "page", name, "err", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

// message is a page with a heading and one text, both catalogue keys.
func (s *Service) message(w http.ResponseWriter, cat *catalog, status int, title, msg, detail string) {
	s.render(w, status, "message", page{L: cat, Title: title, Message: msg, Detail: detail})
}

func (s *Service) notFound(w http.ResponseWriter, r *http.Request) {
	s.message(w, s.lang(w, r), http.StatusNotFound, "err.notfound.title", "err.notfound", "")
}

// providerError explains an error the provider sent back instead of a
// code. Its description is the provider's own text, in one language and
// unchecked: it goes to the log, and the page shows our text and the code.
func (s *Service) providerError(w http.ResponseWriter, cat *catalog, code, desc string) {
	s.log.Info("the provider answered with an error", "error", code, "description", desc)
	key := "err.provider.other"
	switch code {
	case "access_denied":
		key = "err.denied"
	case "login_required", "interaction_required", "consent_required", "account_selection_required":
		key = "err.provider.login"
	case "temporarily_unavailable", "server_error":
		key = "err.provider.unavailable"
	}
	s.message(w, cat, http.StatusForbidden, "err.title", key, safeCode(code))
}

// safeCode keeps an error code to the characters OAuth allows in one
// (and short): anything else in a link's parameters is not shown.
func safeCode(code string) string {
	if len(code) > 64 || strings.ContainsFunc(code, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.')
	}) {
		return "?"
	}
	return code
}

func serveStyle(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "max-age=3600")
	w.Write(style)
}
