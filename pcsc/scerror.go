package pcsc

import "fmt"

// scError is a PC/SC return code (SCARD_E_*, SCARD_F_*, SCARD_W_*). The
// codes are the same on pcsc-lite, macOS and Windows, so both backends
// report them as this type and the error mapping is written once.
type scError uint32

const (
	scErrSuccess                scError = 0x00000000
	scErrInternalError          scError = 0x80100001
	scErrCancelled              scError = 0x80100002
	scErrInvalidHandle          scError = 0x80100003
	scErrInvalidParameter       scError = 0x80100004
	scErrInvalidTarget          scError = 0x80100005
	scErrNoMemory               scError = 0x80100006
	scErrWaitedTooLong          scError = 0x80100007
	scErrInsufficientBuffer     scError = 0x80100008
	scErrUnknownReader          scError = 0x80100009
	scErrTimeout                scError = 0x8010000A
	scErrSharingViolation       scError = 0x8010000B
	scErrNoSmartcard            scError = 0x8010000C
	scErrUnknownCard            scError = 0x8010000D
	scErrCantDispose            scError = 0x8010000E
	scErrProtoMismatch          scError = 0x8010000F
	scErrNotReady               scError = 0x80100010
	scErrInvalidValue           scError = 0x80100011
	scErrSystemCancelled        scError = 0x80100012
	scErrCommError              scError = 0x80100013
	scErrUnknownError           scError = 0x80100014
	scErrInvalidATR             scError = 0x80100015
	scErrNotTransacted          scError = 0x80100016
	scErrReaderUnavailable      scError = 0x80100017
	scErrShutdown               scError = 0x80100018
	scErrPCITooSmall            scError = 0x80100019
	scErrReaderUnsupported      scError = 0x8010001A
	scErrDuplicateReader        scError = 0x8010001B
	scErrCardUnsupported        scError = 0x8010001C
	scErrNoService              scError = 0x8010001D
	scErrServiceStopped         scError = 0x8010001E
	scErrUnsupportedFeature     scError = 0x8010001F // pcsc-lite's value (Windows: SCARD_E_UNEXPECTED)
	scErrCertificateUnavailable scError = 0x8010002D
	scErrNoReadersAvailable     scError = 0x8010002E
	scErrCommDataLost           scError = 0x8010002F
	scErrNoKeyContainer         scError = 0x80100030
	scErrServerTooBusy          scError = 0x80100031
	scErrUnsupportedCard        scError = 0x80100065
	scErrUnresponsiveCard       scError = 0x80100066
	scErrUnpoweredCard          scError = 0x80100067
	scErrResetCard              scError = 0x80100068
	scErrRemovedCard            scError = 0x80100069
	scErrSecurityViolation      scError = 0x8010006A
	scErrWrongCHV               scError = 0x8010006B
	scErrCHVBlocked             scError = 0x8010006C
	scErrCancelledByUser        scError = 0x8010006E
	scErrCardNotAuthenticated   scError = 0x8010006F
)

// scErrorTexts names each code and says what it means to a reader of a
// log; the name lets one look the code up in the PC/SC documentation.
var scErrorTexts = map[scError][2]string{
	scErrSuccess:                {"SCARD_S_SUCCESS", "no error"},
	scErrInternalError:          {"SCARD_F_INTERNAL_ERROR", "internal error in the PC/SC library"},
	scErrCancelled:              {"SCARD_E_CANCELLED", "the call was cancelled"},
	scErrInvalidHandle:          {"SCARD_E_INVALID_HANDLE", "the context or card handle is not valid"},
	scErrInvalidParameter:       {"SCARD_E_INVALID_PARAMETER", "a parameter was rejected"},
	scErrInvalidTarget:          {"SCARD_E_INVALID_TARGET", "invalid start-up information"},
	scErrNoMemory:               {"SCARD_E_NO_MEMORY", "the PC/SC library ran out of memory"},
	scErrWaitedTooLong:          {"SCARD_F_WAITED_TOO_LONG", "an internal wait timed out"},
	scErrInsufficientBuffer:     {"SCARD_E_INSUFFICIENT_BUFFER", "the answer did not fit in the buffer"},
	scErrUnknownReader:          {"SCARD_E_UNKNOWN_READER", "no reader has this name"},
	scErrTimeout:                {"SCARD_E_TIMEOUT", "the wait timed out"},
	scErrSharingViolation:       {"SCARD_E_SHARING_VIOLATION", "another connection holds the card"},
	scErrNoSmartcard:            {"SCARD_E_NO_SMARTCARD", "the reader holds no card"},
	scErrUnknownCard:            {"SCARD_E_UNKNOWN_CARD", "the card name is not known"},
	scErrCantDispose:            {"SCARD_E_CANT_DISPOSE", "the card could not be left as asked"},
	scErrProtoMismatch:          {"SCARD_E_PROTO_MISMATCH", "the card does not speak the requested protocol"},
	scErrNotReady:               {"SCARD_E_NOT_READY", "the reader or card is not ready"},
	scErrInvalidValue:           {"SCARD_E_INVALID_VALUE", "a value was out of range"},
	scErrSystemCancelled:        {"SCARD_E_SYSTEM_CANCELLED", "the system cancelled the call"},
	scErrCommError:              {"SCARD_F_COMM_ERROR", "communication with the PC/SC service failed"},
	scErrUnknownError:           {"SCARD_F_UNKNOWN_ERROR", "unspecified PC/SC failure"},
	scErrInvalidATR:             {"SCARD_E_INVALID_ATR", "the ATR is not valid"},
	scErrNotTransacted:          {"SCARD_E_NOT_TRANSACTED", "the reader did not carry out the operation"},
	scErrReaderUnavailable:      {"SCARD_E_READER_UNAVAILABLE", "the reader is not available"},
	scErrShutdown:               {"SCARD_P_SHUTDOWN", "the operation was stopped for a shutdown"},
	scErrPCITooSmall:            {"SCARD_E_PCI_TOO_SMALL", "the protocol control information is too small"},
	scErrReaderUnsupported:      {"SCARD_E_READER_UNSUPPORTED", "the reader driver is not supported"},
	scErrDuplicateReader:        {"SCARD_E_DUPLICATE_READER", "a reader with this name already exists"},
	scErrCardUnsupported:        {"SCARD_E_CARD_UNSUPPORTED", "the card is not supported"},
	scErrNoService:              {"SCARD_E_NO_SERVICE", "the PC/SC service is not running"},
	scErrServiceStopped:         {"SCARD_E_SERVICE_STOPPED", "the PC/SC service stopped"},
	scErrUnsupportedFeature:     {"SCARD_E_UNSUPPORTED_FEATURE", "the reader or driver does not support this"},
	winUnsupportedFeature:       {"SCARD_E_UNSUPPORTED_FEATURE", "the reader or driver does not support this (Windows code)"},
	scErrCertificateUnavailable: {"SCARD_E_CERTIFICATE_UNAVAILABLE", "the certificate cannot be read"},
	scErrNoReadersAvailable:     {"SCARD_E_NO_READERS_AVAILABLE", "no reader is connected"},
	scErrCommDataLost:           {"SCARD_E_COMM_DATA_LOST", "the exchange with the card lost data"},
	scErrNoKeyContainer:         {"SCARD_E_NO_KEY_CONTAINER", "no key container"},
	scErrServerTooBusy:          {"SCARD_E_SERVER_TOO_BUSY", "the PC/SC service is too busy"},
	scErrUnsupportedCard:        {"SCARD_W_UNSUPPORTED_CARD", "the card's ATR configuration is not supported"},
	scErrUnresponsiveCard:       {"SCARD_W_UNRESPONSIVE_CARD", "the card does not answer"},
	scErrUnpoweredCard:          {"SCARD_W_UNPOWERED_CARD", "the card is not powered"},
	scErrResetCard:              {"SCARD_W_RESET_CARD", "the card was reset"},
	scErrRemovedCard:            {"SCARD_W_REMOVED_CARD", "the card was removed"},
	scErrSecurityViolation:      {"SCARD_W_SECURITY_VIOLATION", "access denied by a security policy"},
	scErrWrongCHV:               {"SCARD_W_WRONG_CHV", "wrong card holder verification"},
	scErrCHVBlocked:             {"SCARD_W_CHV_BLOCKED", "card holder verification is blocked"},
	scErrCancelledByUser:        {"SCARD_W_CANCELLED_BY_USER", "the user cancelled"},
	scErrCardNotAuthenticated:   {"SCARD_W_CARD_NOT_AUTHENTICATED", "the card was not authenticated"},
	winInvalidFunction:          {"ERROR_INVALID_FUNCTION", "the driver does not support this function"},
	winNotSupported:             {"ERROR_NOT_SUPPORTED", "the driver does not support this request"},
	winInvalidParameter:         {"ERROR_INVALID_PARAMETER", "the driver rejected a parameter"},
}

func (e scError) Error() string {
	if t, ok := scErrorTexts[e]; ok {
		return fmt.Sprintf("%s (%s)", t[1], t[0])
	}
	return fmt.Sprintf("PC/SC error 0x%08X", uint32(e))
}
