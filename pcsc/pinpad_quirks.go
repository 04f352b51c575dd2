package pcsc

import (
	"errors"
	"strings"

	"github.com/eidbridge/eidbridge/eid/apdu"
)

// ErrPINPadUnusable: the reader has no keypad this package can drive, or
// it misreported one. The caller asks for the PIN on the computer instead.
var ErrPINPadUnusable = errors.New("the reader's PIN pad cannot be used; the PIN must be entered on the computer")

// swBadStructure is the reader's answer to a PIN structure it does not
// accept (CCID "invalid parameter"): the advertised feature is unusable.
const swBadStructure apdu.Status = 0x6B80

// deniedPINPads are keypads never used with a Belgian eID, matched
// case-insensitively anywhere in the reader name, since pcsc-lite and
// Windows decorate names differently ("Gemalto GemPC Pinpad 00 00").
var deniedPINPads = []struct{ name, why string }{
	// The official middleware refuses it: before asking for the PIN the
	// reader sends an empty VERIFY to show the tries left, which a 1.1
	// applet counts as a wrong PIN (beid-card.md §3.4).
	{"GemPC Pinpad", "its empty VERIFY costs a PIN try on old cards"},
	{"GemPCPinpad", "its empty VERIFY costs a PIN try on old cards"},
}

// deniedPINPad returns why reader's keypad is not used, or "".
func deniedPINPad(reader string) string {
	r := strings.ToLower(reader)
	for _, d := range deniedPINPads {
		if strings.Contains(r, strings.ToLower(d.name)) {
			return d.why
		}
	}
	return ""
}

// Win32 codes SCardControl passes through on Windows when the driver
// rejects a control code or its input.
const (
	winInvalidFunction  scError = 1
	winNotSupported     scError = 50
	winInvalidParameter scError = 87
)

// misreport reports SCardControl failures that mean the reader does not
// really support the feature it advertised: pcsc-lite turns a driver's
// refusal into SCARD_E_NOT_TRANSACTED or SCARD_E_UNSUPPORTED_FEATURE,
// Windows into a Win32 parameter or function error.
func misreport(err error) bool {
	var code scError
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case scErrNotTransacted, scErrUnsupportedFeature, scErrInvalidParameter,
		scErrInvalidValue, winInvalidFunction, winNotSupported, winInvalidParameter:
		return true
	}
	return false
}
