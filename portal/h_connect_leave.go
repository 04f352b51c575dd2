package portal

import "net/http"

// leave moves the browser on to next after a form post, through a page
// rather than a redirect: browsers apply the portal's CSP form-action
// 'self' to every redirect that follows a form submission, and the way
// goes on to the service, elsewhere. next is the portal's callback, or
// the provider's answer to a registered redirect URI (a cancel). The page
// moves on by itself (meta refresh, no script) and has a link.
func (p *Portal) leave(w http.ResponseWriter, r *http.Request, ss *session, service, next string) {
	p.renderPage(w, r, ss, http.StatusOK, "leave", page{Title: "connect.title", Refresh: next,
		D: struct{ Service, Next string }{service, next}})
}
