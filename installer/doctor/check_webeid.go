package doctor

import (
	"fmt"
	"path/filepath"
	"strings"
)

const webEIDFix = "eidbridge nm-host install --webeid"

// checkWebEID says, per browser, which application answers websites that
// use Web eID: eidbridge (opt-in), the official web-eid-app, or none.
// None is not a fault: eidbridge's own sites do not need it.
func checkWebEID(apps []WebEIDInfo) []Result {
	var out []Result
	for _, a := range apps {
		r := Result{ID: "webeid/" + strings.ToLower(strings.ReplaceAll(a.Browser, " ", "-")),
			Title: "Web eID sites (" + a.Browser + ")"}
		switch {
		case a.Manifest == "" && !a.BrowserFound:
			r.Status, r.Detail = Skip, "browser not found"
		case a.Manifest == "":
			r.Status = Skip
			r.Detail = "no application answers them in this browser (optional: `" + webEIDFix + "` lets eidbridge answer)"
		case a.Ours && (a.Err != nil || !a.ProgramOK):
			r.Status, r.Fix = Fail, "register it again: "+webEIDFix
			r.Detail = fmt.Sprintf("eidbridge is registered (%s) but its launcher %s is missing or not executable", a.Manifest, a.Program)
		case a.Ours && a.OldLauncher:
			r.Status, r.Detail, r.Fix = Warn, oldLauncherDetail(a)+hiddenNote(a), "register it again: "+webEIDFix
		case a.Ours:
			r.Status, r.Detail = OK, "eidbridge answers them ("+a.Manifest+")"
			if len(a.ExtraIDs) > 0 {
				r.Detail += "; it also answers the extension(s) " + strings.Join(a.ExtraIDs, ", ") + " (--extension-id)"
			}
			r.Detail += hiddenNote(a)
		case a.Err != nil || !a.ProgramOK:
			r.Status = Warn
			r.Detail = fmt.Sprintf("%s is registered (%s) but unusable: %s", otherApp(a.Program), a.Manifest, problem(a))
			r.Fix = "reinstall that application, or let eidbridge answer: " + webEIDFix
		default:
			r.Status, r.Detail = OK, otherApp(a.Program)+" answers them ("+a.Manifest+")"
		}
		out = append(out, r)
	}
	return out
}

// oldLauncherDetail explains a registration from before nm-host took
// --webeid: the host then tells Web eID callers by the official IDs
// alone, and any other extension it lets start gets eidbridge's own
// protocol and times out.
func oldLauncherDetail(a WebEIDInfo) string {
	d := fmt.Sprintf("with this older registration (%s, whose launcher %s does not pass --webeid) "+
		"eidbridge answers only the official Web eID extensions from the browser stores", a.Manifest, a.Program)
	if len(a.ExtraIDs) > 0 {
		d += "; the extension(s) " + strings.Join(a.ExtraIDs, ", ") + " it also allows get no answer"
	}
	return d
}

// hiddenNote says which registration eidbridge's stands in for, if any.
func hiddenNote(a WebEIDInfo) string {
	if a.Hidden == "" {
		return ""
	}
	return "; it stands in for " + a.Hidden + ", which `eidbridge nm-host uninstall --webeid` brings back"
}

// otherApp names the application a manifest starts.
func otherApp(program string) string {
	if strings.Contains(strings.ToLower(filepath.Base(program)), "web-eid") {
		return "the official Web eID application (" + program + ")"
	}
	if program == "" {
		return "another application"
	}
	return "another application (" + program + ")"
}

func problem(a WebEIDInfo) string {
	if a.Err != nil {
		return a.Err.Error()
	}
	return a.Program + " is not an executable program"
}
