package installer

import (
	"bytes"
	"encoding/xml"
	"strings"
	"sync"
	"text/template"
)

// The unit restarts a failed agent, but for a minute at most: at login
// the user manager may start it before the desktop has exported DISPLAY
// or WAYLAND_DISPLAY to it, and the agent refuses to start without a
// graphical session (its native dialogs need one), so it is retried
// until the session is there; in a login without a desktop (SSH) it
// then gives up instead of failing every few seconds all day. The
// templates are parsed on first use: every eidbridge command links this
// package, and only installing uses them.
var unitTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("unit").Funcs(template.FuncMap{"exec": execQuote}).Parse(unitText))
})

const unitText = `# {{.Note}}
[Unit]
Description=eidbridge agent: your Belgian eID card for the websites you allow
Documentation=https://github.com/eidbridge/eidbridge/blob/main/docs/install.md
StartLimitIntervalSec=60
StartLimitBurst=10

[Service]
ExecStart={{exec .Exe}} run
Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
`

// PackagedUnitNote is the first line of the unit the packages ship.
const PackagedUnitNote = "Installed by the eidbridge package for every user; " +
	"`systemctl --user mask eidbridge.service` turns it off for one."

// SystemdUnit is the user unit running exe; note is its first comment
// line (who installed it and how it goes away).
func SystemdUnit(exe, note string) string {
	var b bytes.Buffer
	must(unitTemplate().Execute(&b, struct{ Exe, Note string }{exe, note}))
	return b.String()
}

// execQuote writes path as the first word of ExecStart: quoted when it
// has a space, with systemd's specifier (%) and variable ($) characters
// doubled so that they stay literal.
func execQuote(path string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "%", "%%", "$", "$$")
	q := r.Replace(path)
	if strings.ContainsAny(path, " \t\"'") {
		return `"` + q + `"`
	}
	return q
}

// KeepAlive restarts the agent only when it fails, like the Linux unit;
// launchd's own throttle (10 s) paces the retries. Aqua: a LaunchAgent
// for the graphical session only, since the agent's dialogs need one.
var plistTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("plist").Funcs(template.FuncMap{"xml": xmlText}).Parse(plistText))
})

const plistText = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>{{xml .Label}}</string>
	<key>ProgramArguments</key>
	<array>
		<string>{{xml .Exe}}</string>
		<string>run</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>KeepAlive</key>
	<dict>
		<key>SuccessfulExit</key>
		<false/>
	</dict>
	<key>LimitLoadToSessionType</key>
	<string>Aqua</string>
	<key>ProcessType</key>
	<string>Interactive</string>
	<key>StandardErrorPath</key>
	<string>{{xml .Log}}</string>
</dict>
</plist>
`

// LaunchAgentPlist is the LaunchAgent running exe, logging to logPath.
func LaunchAgentPlist(exe, logPath string) string {
	var b bytes.Buffer
	must(plistTemplate().Execute(&b, struct{ Label, Exe, Log string }{LaunchdLabel, exe, logPath}))
	return b.String()
}

func xmlText(s string) string {
	var b strings.Builder
	must(xml.EscapeText(&b, []byte(s)))
	return b.String()
}

// must: the templates are constants and their data plain strings, so an
// error here is a programming error.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
