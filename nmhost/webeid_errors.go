package nmhost

import (
	"embed"
	"fmt"
	"sync"

	msgcat "github.com/eidbridge/eidbridge/internal/catalog"

	"github.com/eidbridge/eidbridge/agent"
	"github.com/eidbridge/eidbridge/agent/ui"
)

// The Web eID error codes this host answers with. The extension and
// web-eid.js pass code and message on to the page, which may show the
// message: what concerns the citizen is in the page's language
// (i18n/LANG.json), a bad argument (the site's bug) in English.
const (
	errInvalidArgument = "ERR_WEBEID_NATIVE_INVALID_ARGUMENT"
	errFatal           = "ERR_WEBEID_NATIVE_FATAL"
	errUserCancelled   = "ERR_WEBEID_USER_CANCELLED"
	errUserTimeout     = "ERR_WEBEID_USER_TIMEOUT"
)

// webEIDError is the error object of a Web eID answer.
type webEIDError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// errorReply is a Web eID error answer.
type errorReply struct {
	Error *webEIDError `json:"error"`
}

func invalidArgument(format string, args ...any) *webEIDError {
	return &webEIDError{Code: errInvalidArgument, Message: fmt.Sprintf(format, args...)}
}

// fatal is ERR_WEBEID_NATIVE_FATAL with the message key in lang, or
// fallback when the catalogue has no such key.
func fatal(lang, key, fallback string) *webEIDError {
	msg, ok := text(lang, key)
	if !ok {
		msg = fallback
	}
	return &webEIDError{Code: errFatal, Message: msg}
}

// webEIDCodes are the agent's codes that Web eID names too; every other
// one is ERR_WEBEID_NATIVE_FATAL. A certificate that is not the card's is
// a bad argument, as eidbridge's extension reports it to web-eid.js.
var webEIDCodes = map[agent.Code]string{
	agent.CodeInvalidRequest: errInvalidArgument, agent.CodeUnknownOperation: errInvalidArgument,
	agent.CodeCertificateMismatch: errInvalidArgument, agent.CodeActionPending: "ERR_WEBEID_ACTION_PENDING",
	agent.CodeUserCancelled: errUserCancelled, agent.CodeUserTimeout: errUserTimeout,
}

// fromAgent maps an agent error to Web eID's code, with the citizen's
// message in lang; a refused parameter keeps the agent's message, which
// says which one (in English: it is the site's bug).
func fromAgent(e *agent.Error, lang string) *webEIDError {
	code, ok := webEIDCodes[e.Code]
	if !ok {
		code = errFatal
	}
	msg, ok := text(lang, string(e.Code))
	if !ok {
		msg = e.Message
	}
	return &webEIDError{Code: code, Message: msg}
}

//go:embed i18n/*.json
var catalogFS embed.FS

// catalogs are read on the first error: the host's start stays light.
var catalogs = sync.OnceValue(func() map[string]*msgcat.Catalog {
	cats, err := msgcat.Load(catalogFS, "i18n", ui.Languages)
	if err != nil {
		panic("nmhost: " + err.Error()) // embedded and tested: cannot happen
	}
	return cats
})

// text is the message key in lang (one of ui.Languages, else English).
func text(lang, key string) (string, bool) {
	c, ok := catalogs()[lang]
	if !ok {
		c = catalogs()[ui.Languages[0]]
	}
	return c.Lookup(key)
}
