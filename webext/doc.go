// Package webext is the browser side of eidbridge: the JavaScript client
// websites use (client/) and the browser extension that reaches the agent
// through native messaging (extension/). Both are plain JavaScript; the
// package's Go test runs their unit tests (jstest/) with node, so that
// `go test ./...` covers them.
package webext
