package nmhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The Web eID native application, opt-in (WebEIDInstaller): the official
// Web eID extension starts the host registered as eu.webeid, reads a
// version, sends one command and expects one answer, then the host ends.
// The host relays the command to the agent, whose dialog asks the
// citizen, as it does for the eidbridge extension.

// WebEIDHostName is the host name the Web eID extension connects to.
const WebEIDHostName = "eu.webeid"

// The official Web eID extension's IDs: Chrome Web Store, Edge Add-ons,
// Firefox Add-ons.
const (
	WebEIDChromeID  = "ncibgoaomkmdpilpocfeponihegamlic"
	WebEIDEdgeID    = "gnmckgbandlkacikdndelhfghdejfido"
	WebEIDFirefoxID = "{e68418bc-f2b0-4459-a9ea-3e72b6751b07}"
)

// webEIDProtocol is the web-eid-app release whose native protocol this
// host speaks. The extension only requires its major to be at least the
// library's and its own (2), so the build metadata can name eidbridge.
const webEIDProtocol = "2.9.0"

// webEIDMaxMessage bounds the command, as the extension bounds it.
const webEIDMaxMessage = 8192

// WebEIDMarker is the argument the eu.webeid launcher (WebEIDInstaller)
// puts before the browser's own. The browser starts that launcher only
// for the extensions its manifest allows, so the registration, not the
// caller's ID, says that the caller speaks Web eID: a self-built,
// unpacked or re-signed Web eID extension has an ID of its own, which
// only the admin who allowed it knows.
const WebEIDMarker = "--webeid"

// chooseWebEID tells from the host's arguments whether it speaks Web
// eID, why (for the log), and the browser's own arguments. With the
// marker the registration decides. Without it (the eidbridge
// extension's registration, or an eu.webeid one written before the
// marker existed) the caller's ID decides, as it always did, so that
// those installations keep working unchanged.
func chooseWebEID(args []string) (webEID bool, why string, browser []string) {
	if len(args) > 0 && args[0] == WebEIDMarker {
		return true, "registered as " + WebEIDHostName, args[1:]
	}
	if CalledByWebEID(args) {
		return true, "the published Web eID extension", args
	}
	return false, "", args
}

// callerOf is the extension that started the host, as the browser names
// it: Chromium browsers pass its origin first, Firefox its ID second.
func callerOf(args []string) string {
	switch {
	case len(args) > 0 && strings.HasPrefix(args[0], "chrome-extension://"):
		return args[0]
	case len(args) > 1:
		return args[1]
	}
	return ""
}

// CalledByWebEID tells from the browser's arguments whether the official
// Web eID extension, under one of its published IDs, started the host:
// Chromium browsers pass the extension's origin first, Firefox the
// manifest's path and the add-on ID.
func CalledByWebEID(args []string) bool {
	if len(args) > 0 {
		for _, id := range []string{WebEIDChromeID, WebEIDEdgeID} {
			if args[0] == "chrome-extension://"+id+"/" {
				return true
			}
		}
	}
	return len(args) > 1 && args[1] == WebEIDFirefoxID
}

// WebEIDVersion is the version the host announces: the Web eID protocol
// version, with eidbridge's own version as SemVer build metadata.
func WebEIDVersion(eidbridge string) string {
	var ids []string
	for _, part := range strings.Split(eidbridge, ".") {
		if id := strings.Map(buildRune, part); id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		ids = []string{"unknown"}
	}
	return webEIDProtocol + "+eidbridge." + strings.Join(ids, ".")
}

// buildRune keeps what a SemVer build identifier may hold and makes
// anything else a '-'.
func buildRune(r rune) rune {
	if r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
		return r
	}
	return '-'
}

// serveWebEID announces the version, reads the one command, answers it
// and returns. Only a broken pipe to the browser is an error: everything
// else is the answer.
func (h host) serveWebEID(ctx context.Context, in io.Reader, out io.Writer) error {
	if err := writeJSON(out, map[string]string{"version": WebEIDVersion(h.version)}); err != nil {
		return err
	}
	msg, err := ReadFrame(in, webEIDMaxMessage)
	if errors.Is(err, io.EOF) { // the extension went away (or only wanted the version)
		return nil
	}
	var cmd webEIDCommand
	werr := invalidArgument("the message is not one Web eID command: %v", err)
	if err == nil {
		cmd, werr = parseCommand(msg)
	}
	if werr != nil {
		h.log.Warn("refused a Web eID command", "err", werr.Message)
		return writeJSON(out, errorReply{werr})
	}
	if cmd.name == cmdQuit {
		return writeJSON(out, struct{}{})
	}
	h.log.Info("Web eID command", "command", cmd.name, "origin", cmd.origin)
	return writeJSON(out, h.runCommand(ctx, cmd, in))
}

// writeJSON writes v as one frame.
func writeJSON(out io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding a message for the browser: %w", err)
	}
	return WriteFrame(out, b)
}

// webEIDChromeIDs are the IDs the Chromium manifests allow.
func webEIDChromeIDs() []string { return []string{WebEIDChromeID, WebEIDEdgeID} }
