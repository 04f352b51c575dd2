package pcsc

import (
	"errors"
	"strings"

	"github.com/eidbridge/eidbridge/apdu"
)

// ErrPINPadUnusable: the reader has no keypad this package can drive, or
// it misreported one. The caller asks for the PIN on the computer instead.
var ErrPINPadUnusable = errors.New("the reader's PIN pad cannot be used; the PIN must be entered on the computer")

// swBadStructure is the reader's answer to a PIN structure it does not
// accept (CCID "invalid parameter"): the advertised feature is unusable.
const swBadStructure apdu.Status = 0x6B80

// deniedPINPads are keypads never used with a Belgian eID, matched
// case-insensitively at the start of the reader name. Each entry carries
// its public source. Deliberately not listed:
//   - the same GemPC Pinpad under the CCID driver ("Gemalto USB GemPCPinpad
//     SmartCard Reader"): the driver itself corrects the fields its firmware
//     rejects (CCID src/commands.c), firmware 2.x takes 1..16 digits (CCID
//     readers/extra_features/GemPCPinpadv2_features.txt), and a 1.00
//     firmware refusing 12 digits should surface as a driver error, which
//     pcsc-lite reports as SCARD_E_NOT_TRANSACTED (src/ifdwrapper.c) and
//     misreport turns into the dialog; no PIN reaches the card either way;
//   - the GemPC's empty VERIFY before entry, eid-mw's reason to refuse it:
//     it costs a try only on pre-1.7 applets, which eid.Open refuses, and
//     is the status query eidbridge itself sends (beid-card.md §3.4).
var deniedPINPads = []struct{ prefix, why string }{
	// Source: Fedict/eid-mw cardcomm/pkcs11/src/cardlayer/pinpad.cpp refuses this name and logs the cap.
	// (The CCID driver used this name until 2010, then "Gemalto ..."; other drivers may keep it.)
	{"Gemplus GemPC Pinpad", "its firmware takes at most 8 PIN digits, and a Belgian PIN may have 12"},
}

// deniedPINPad returns why reader's keypad is not used, or "".
func deniedPINPad(reader string) string {
	r := strings.ToLower(reader)
	for _, d := range deniedPINPads {
		if strings.HasPrefix(r, strings.ToLower(d.prefix)) {
			return d.why
		}
	}
	return ""
}

// Codes that only Windows returns from SCardControl when the driver
// rejects a control code or its input: Win32 errors passed through
// (drivers without part 10 answer CM_IOCTL_GET_FEATURE_REQUEST with
// ERROR_INVALID_FUNCTION or ERROR_NOT_SUPPORTED), and Windows' own
// SCARD_E_UNSUPPORTED_FEATURE, whose value differs from pcsc-lite's
// 0x8010001F (there Windows has SCARD_E_UNEXPECTED).
const (
	winInvalidFunction    scError = 1
	winNotSupported       scError = 50
	winInvalidParameter   scError = 87
	winUnsupportedFeature scError = 0x80100022
)

// misreport reports SCardControl failures that mean the reader does not
// really support the feature it advertised: pcsc-lite turns a driver's
// refusal into SCARD_E_UNSUPPORTED_FEATURE (IFD_NOT_SUPPORTED), else
// SCARD_E_NOT_TRANSACTED, or SCARD_E_INVALID_PARAMETER for an old driver
// API; Windows into the codes above. discover needs no such list: any
// failure that is not about the card or the service means "no keypad".
func misreport(err error) bool {
	var code scError
	if !errors.As(err, &code) {
		return false
	}
	switch code {
	case scErrNotTransacted, scErrUnsupportedFeature, scErrInvalidParameter, scErrInvalidValue,
		winInvalidFunction, winNotSupported, winInvalidParameter, winUnsupportedFeature:
		return true
	}
	return false
}
