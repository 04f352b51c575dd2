// Package browsertest drives a real Chromium (headless, through the
// DevTools protocol) against a test website that uses the eidbridge
// JavaScript client, with the agent running over the virtual card: once
// with the page talking to the agent's websocket directly, once through
// the browser extension and native messaging (eidbridge nm-host). The
// tests are in the _test files; screenshots of every step are saved for a
// person to look at (see artifactDir).
//
// Chromium is required under EIDBRIDGE_PCSC_TESTS=1 (make test installs
// it); elsewhere the tests skip, loudly, when there is none.
package browsertest
