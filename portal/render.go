package portal

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

//go:embed templates/*.html mail/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// page is what every page template receives; D is the page's own data.
type page struct {
	L        *catalog
	Langs    []string
	Title    string // message key
	Heading  string // shown instead of Title's message when set: a mail's subject
	Error    string // message key, or ""
	CSRF     string
	LoggedIn bool
	Mailbox  bool
	Refresh  string // where the page moves on to by itself (h_connect_leave.go)
	D        any
}

// invalidField names the form field an error is about.
var invalidField = map[string]string{
	"err.email": "email", "err.mail.rejected": "email", "err.mail.rejected.desk": "email",
	"err.password.short": "password", "err.password.long": "password", "err.password.invalid": "password",
	"err.password.common": "password", "err.password.personal": "password", "err.password.mismatch": "password2",
	"err.username": "username", "err.username.taken": "username", "err.activation.code": "code", "err.code": "code",
	"err.nn": "nn",
}

// Invalid reports whether the page's error is about the form field name,
// which the template then marks and focuses.
func (pg page) Invalid(name string) bool { return pg.Error != "" && invalidField[pg.Error] == name }

// field is what the layout's template "invalid" writes into an input:
// marked, tied to the error and focused when the error is about it, and
// tied to its hint (the id of the text under it) in any case.
type field struct {
	Invalid bool
	Hint    string
}

// Field is the input name's field, with its hint's id or "".
func (pg page) Field(name, hint string) field { return field{pg.Invalid(name), hint} }

// pageFuncs: the language switcher shows each language's code, as
// Belgian federal sites do (NL FR DE EN), with its name for screen readers.
var pageFuncs = template.FuncMap{"upper": strings.ToUpper}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		t, err := template.New("layout.html").Funcs(pageFuncs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		pages[name] = t
	}
	return pages, nil
}

// parseMails parses the e-mail and letter templates with the token card.
func parseMails() (map[string]*template.Template, error) {
	mails := map[string]*template.Template{}
	for _, n := range []string{"token", "letter", "activation"} {
		t, err := template.ParseFS(templateFS, "mail/"+n+".html", "mail/card.html")
		if err != nil {
			return nil, fmt.Errorf("mail template %s: %w", n, err)
		}
		mails[n] = t
	}
	return mails, nil
}

// render writes a page with status. Errors after the header are only
// logged: the response has started.
func (p *Portal) render(w http.ResponseWriter, r *http.Request, ss *session, status int, name, title, errKey string, d any) {
	p.renderPage(w, r, ss, status, name, page{Title: title, Error: errKey, D: d})
}

// renderPage writes the page pg, adding what every page has.
func (p *Portal) renderPage(w http.ResponseWriter, r *http.Request, ss *session, status int, name string, pg page) {
	var buf bytes.Buffer
	pg.L, pg.Langs, pg.Mailbox = p.cat(pickLang(w, r)), languages, p.mailboxAllowed(r)
	if ss != nil {
		pg.CSRF, pg.LoggedIn = ss.csrf, ss.citizenID != 0
	}
	if err := p.pages[name].ExecuteTemplate(&buf, "layout.html", pg); err != nil {
		p.log.Error("render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// message renders a page that only says something.
func (p *Portal) message(w http.ResponseWriter, r *http.Request, ss *session, status int, title, text string) {
	p.render(w, r, ss, status, "message", title, "", struct{ Text string }{text})
}

// fail renders an error page for errKey.
func (p *Portal) fail(w http.ResponseWriter, r *http.Request, ss *session, status int, errKey string) {
	status, errKey = p.downgrade(w, r, status, errKey)
	p.render(w, r, ss, status, "message", "err.title", errKey, struct{ Text string }{"err.again"})
}

// cardData is what the token card template shows.
type cardData struct {
	L                         *catalog
	Holder, Serial, Date      string
	Street, Zip, Municipality string
	Link, Until               string
	Rows                      [][]codeCell
}

type codeCell struct {
	Position int
	Code     string
}

// codeRows lays the codes out in rows of four, positions counting from 1.
func codeRows(codes []string) [][]codeCell {
	var rows [][]codeCell
	for i := 0; i < len(codes); i += 4 {
		var row []codeCell
		for j := i; j < i+4 && j < len(codes); j++ {
			row = append(row, codeCell{Position: j + 1, Code: codes[j]})
		}
		rows = append(rows, row)
	}
	return rows
}

func formatDate(t time.Time) string { return t.Format("02/01/2006") }
