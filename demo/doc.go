// Package demo is `eidbridge demo`: the federal token portal, the agent,
// a virtual Belgian eID card and the demo government service (MyDemo) in
// one process, on loopback, with a banner that walks the citizen through
// them. The command turns its flags into a Config and calls Run; Answer
// is the answerer the agent runs for every question under --auto-pin.
package demo
