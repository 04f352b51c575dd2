package doctor

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

// CardSnapshot is what the PC/SC probe found.
type CardSnapshot struct {
	// Service is nil when the PC/SC service answered.
	Service error
	Readers []ReaderInfo
}

// ReaderInfo is one reader and the card in it.
type ReaderInfo struct {
	Name string
	// Err is why the card could not be reached (pcsc.ErrNoCard: empty).
	Err     error
	ATR     []byte
	Belgian bool
	Applet  string
	// OpenErr: a Belgian eID this program refuses (too old, blank).
	OpenErr  error
	Certs    []CertInfo
	CertsErr error
	PIN      eid.PINState
	PINErr   error
}

// CertInfo is one of the citizen's certificates; Present is false when
// the card has none in that slot.
type CertInfo struct {
	Name      string // "authentication" or "signing"
	Present   bool
	NotBefore time.Time
	NotAfter  time.Time
}

// expirySoon is when a certificate's end is worth a warning.
const expirySoon = 30 * 24 * time.Hour

// checkCard checks pcscd, the readers, the card, its certificates and
// its PIN, skipping what an earlier failure makes meaningless.
func checkCard(s CardSnapshot, goos string, now time.Time) []Result {
	pcscd := Result{ID: "pcscd", Title: "smart-card service"}
	readers := Result{ID: "readers", Title: "card readers"}
	card := Result{ID: "card", Title: "eID card"}
	certs := Result{ID: "certificates", Title: "certificates"}
	pin := Result{ID: "pin", Title: "PIN"}
	out := func() []Result { return []Result{pcscd, readers, card, certs, pin} }
	skipFrom := func(rs []*Result, why string) {
		for _, r := range rs {
			r.Status, r.Detail = Skip, why
		}
	}
	if s.Service != nil {
		pcscd.Status, pcscd.Detail, pcscd.Fix = Fail, "it does not answer: "+s.Service.Error(), pcscFix(goos)
		skipFrom([]*Result{&readers, &card, &certs, &pin}, "needs the smart-card service")
		return out()
	}
	pcscd.Status, pcscd.Detail = OK, "the PC/SC service answers"
	if len(s.Readers) == 0 {
		readers.Status, readers.Detail = Fail, "no smart-card reader is connected"
		readers.Fix = "plug your reader in (if it is, try another USB port"
		if goos == "linux" {
			readers.Fix += "; most readers need the CCID driver: sudo apt install libccid, or sudo dnf install pcsc-lite-ccid"
		}
		readers.Fix += ")"
		skipFrom([]*Result{&card, &certs, &pin}, "needs a reader")
		return out()
	}
	names := make([]string, len(s.Readers))
	for i, r := range s.Readers {
		names[i] = r.Name
	}
	readers.Status, readers.Detail = OK, fmt.Sprintf("%d: %s", len(names), strings.Join(names, "; "))
	ri, ok := pickCard(s.Readers, &card)
	if !ok {
		skipFrom([]*Result{&certs, &pin}, "needs a readable eID card")
		return out()
	}
	certs = checkCerts(ri, now)
	pin = checkPIN(ri)
	return out()
}

func pcscFix(goos string) string {
	switch goos {
	case "linux":
		return "install and start pcscd: sudo apt install pcscd (Fedora: sudo dnf install pcsc-lite), then sudo systemctl enable --now pcscd.socket"
	case "windows":
		return "Windows starts its Smart Card service when a reader is plugged in: plug the reader in; " +
			"if that does not help, set the Smart Card service to Automatic in services.msc"
	case "darwin":
		return "macOS has the service built in: unplug and replug the reader; if it persists, restart the Mac"
	}
	return "start the PC/SC service (pcscd)"
}

// pickCard fills card with the first Belgian eID this program can use,
// or with the most telling problem; ok when there is a usable card.
func pickCard(rs []ReaderInfo, card *Result) (ReaderInfo, bool) {
	var bad *Result
	for _, r := range rs {
		if r.Belgian && r.OpenErr == nil && r.Err == nil {
			card.Status, card.Detail = OK, fmt.Sprintf("Belgian eID, applet %s, in %s", r.Applet, r.Name)
			return r, true
		}
		if bad == nil || bad.Fix == noCardFix { // an empty reader says the least
			bad = cardProblem(r)
		}
	}
	*card = Result{ID: card.ID, Title: card.Title, Status: bad.Status, Detail: bad.Detail, Fix: bad.Fix}
	return ReaderInfo{}, false
}

const noCardFix = "insert your eID card in the reader, chip first and facing up"

// cardProblem explains why the card in r cannot be used.
func cardProblem(r ReaderInfo) *Result {
	p := &Result{Status: Fail}
	switch {
	case errors.Is(r.Err, pcsc.ErrNoCard):
		p.Detail, p.Fix = "no card in any reader", noCardFix
	case errors.Is(r.Err, pcsc.ErrCardBusy):
		p.Detail = "the card in " + r.Name + " is held by another application"
		p.Fix = "close the other program using the card (another eID application or a browser's security module), then retry"
	case r.Err != nil:
		p.Detail = fmt.Sprintf("the card in %s cannot be reached: %v", r.Name, r.Err)
		p.Fix = "take the card out and insert it again, chip first and facing up"
	case !r.Belgian:
		p.Detail = fmt.Sprintf("the card in %s is not a Belgian eID (ATR %X)", r.Name, r.ATR)
		p.Fix = "insert your Belgian eID card"
	default:
		p.Detail = fmt.Sprintf("the Belgian eID in %s cannot be used: %v", r.Name, r.OpenErr)
		p.Fix = "ask your municipality for a new card"
	}
	return p
}

func checkCerts(r ReaderInfo, now time.Time) Result {
	res := Result{ID: "certificates", Title: "certificates", Status: OK}
	if r.CertsErr != nil {
		res.Status, res.Detail = Fail, "they could not be read: "+r.CertsErr.Error()
		res.Fix = "take the card out and insert it again; if it keeps failing, the card may be damaged: ask your municipality"
		return res
	}
	var parts, fixes []string
	raise := func(s Status) {
		if s == Fail || res.Status == OK {
			res.Status = s
		}
	}
	for _, c := range r.Certs {
		switch {
		case !c.Present && c.Name == "authentication":
			raise(Warn)
			parts = append(parts, "no authentication certificate, so websites cannot log you in with this card")
			fixes = append(fixes, "ask your municipality to activate the certificates (children under 12 have none)")
		case !c.Present:
			raise(Warn)
			parts = append(parts, "no signing certificate, so you can log in but not sign documents")
			fixes = append(fixes, "a signing certificate comes at 18; your municipality can activate it")
		case now.After(c.NotAfter):
			raise(Fail)
			parts = append(parts, fmt.Sprintf("the %s certificate expired on %s", c.Name, day(c.NotAfter)))
			fixes = append(fixes, "ask your municipality to renew your card")
		case now.Before(c.NotBefore):
			raise(Fail)
			parts = append(parts, fmt.Sprintf("the %s certificate is valid only from %s", c.Name, day(c.NotBefore)))
			fixes = append(fixes, "check your computer's date and time")
		case c.NotAfter.Sub(now) < expirySoon:
			raise(Warn)
			parts = append(parts, fmt.Sprintf("the %s certificate expires soon, on %s", c.Name, day(c.NotAfter)))
			fixes = append(fixes, "renew your card at your municipality before then")
		default:
			parts = append(parts, fmt.Sprintf("%s valid until %s", c.Name, day(c.NotAfter)))
		}
	}
	res.Detail, res.Fix = strings.Join(parts, "; "), strings.Join(dedup(fixes), "; ")
	return res
}

func checkPIN(r ReaderInfo) Result {
	res := Result{ID: "pin", Title: "PIN"}
	switch st := r.PIN; {
	case r.PINErr != nil:
		res.Status, res.Detail = Warn, "its state could not be read: "+r.PINErr.Error()
		res.Fix = "take the card out and insert it again"
	case st.Blocked:
		res.Status, res.Detail = Fail, "the PIN is blocked after three wrong tries"
		res.Fix = "your municipality unblocks it with your PUK code (from the letter that came with the card)"
	case st.TriesLeft < 3 && !st.Verified:
		res.Status = Warn
		res.Detail = fmt.Sprintf("%d %s left: the card remembers earlier wrong PINs", st.TriesLeft, plural(st.TriesLeft, "try", "tries"))
		res.Fix = "type it carefully next time: a correct PIN resets the count; at 0 the card blocks it"
	default:
		res.Status, res.Detail = OK, fmt.Sprintf("not blocked, %d tries left (checked without using one)", st.TriesLeft)
	}
	return res
}

func day(t time.Time) string { return t.Format("2006-01-02") }

func dedup(s []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range s {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
