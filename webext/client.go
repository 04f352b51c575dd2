package webext

import "embed"

// ClientFS holds the JavaScript client's modules (client/*.js), so that a
// Go server can serve the very files the tests cover, e.g. under
// /static/eidbridge/ with fs.Sub(ClientFS, "client").
//
//go:embed client/*.js
var ClientFS embed.FS
