package apdu

import "fmt"

// Status is an ISO 7816 status word (SW1 SW2). It is an error so that a
// failing status can travel up wrapped with context and be matched with
// errors.Is or StatusOf.
type Status uint16

// Status words the Belgian eID applets return (beid-card.md §3.1).
const (
	OK                   Status = 0x9000
	NoPreciseDiagnosis   Status = 0x6400
	MemoryFailure        Status = 0x6581
	WrongLength          Status = 0x6700
	SecurityNotSatisfied Status = 0x6982
	AuthMethodBlocked    Status = 0x6983
	ConditionsNotMet     Status = 0x6985
	NoCurrentEF          Status = 0x6986
	IncorrectData        Status = 0x6A80
	FileNotFound         Status = 0x6A82
	RecordNotFound       Status = 0x6A83
	IncorrectP1P2InData  Status = 0x6A86
	LcInconsistent       Status = 0x6A87
	ReferenceNotFound    Status = 0x6A88
	WrongP1P2            Status = 0x6B00
	INSNotSupported      Status = 0x6D00
	CLANotSupported      Status = 0x6E00
	ChannelNotSupported  Status = 0x6881
	FileNotActivated     Status = 0x6283
)

// SW1 and SW2 return the two bytes of the status word.
func (s Status) SW1() byte { return byte(s >> 8) }
func (s Status) SW2() byte { return byte(s) }

// MoreData reports a 61xx status; the count is SW2 with 0 meaning 256.
func (s Status) MoreData() (n int, ok bool) {
	if s.SW1() != 0x61 {
		return 0, false
	}
	return leValue(s.SW2()), true
}

// WrongLe reports a 6Cxx status and the length the card wants.
func (s Status) WrongLe() (n int, ok bool) {
	if s.SW1() != 0x6C {
		return 0, false
	}
	return leValue(s.SW2()), true
}

// TriesLeft reports a 63Cx status (wrong PIN) and the tries that remain.
func (s Status) TriesLeft() (n int, ok bool) {
	if s&0xFFF0 != 0x63C0 {
		return 0, false
	}
	return int(s & 0x0F), true
}

func (s Status) Error() string {
	return fmt.Sprintf("card status %04X: %s", uint16(s), s.meaning())
}

func (s Status) meaning() string {
	if m, ok := meanings[s]; ok {
		return m
	}
	if n, ok := s.MoreData(); ok {
		return fmt.Sprintf("%d more bytes available", n)
	}
	if n, ok := s.WrongLe(); ok {
		return fmt.Sprintf("wrong length, %d bytes available", n)
	}
	if n, ok := s.TriesLeft(); ok {
		return fmt.Sprintf("wrong PIN, %d tries left", n)
	}
	return "unknown status"
}

var meanings = map[Status]string{
	OK:                   "success",
	NoPreciseDiagnosis:   "no precise diagnosis",
	MemoryFailure:        "card memory failure",
	WrongLength:          "wrong length",
	SecurityNotSatisfied: "security status not satisfied",
	AuthMethodBlocked:    "PIN blocked",
	ConditionsNotMet:     "conditions of use not satisfied",
	NoCurrentEF:          "no current file",
	IncorrectData:        "incorrect data",
	FileNotFound:         "file not found",
	RecordNotFound:       "record not found",
	IncorrectP1P2InData:  "incorrect P1/P2",
	LcInconsistent:       "Lc inconsistent with P1/P2",
	ReferenceNotFound:    "referenced data not found",
	WrongP1P2:            "wrong P1/P2 or offset outside the file",
	INSNotSupported:      "instruction not supported",
	CLANotSupported:      "class not supported",
	ChannelNotSupported:  "logical channel not supported",
	FileNotActivated:     "selected file not activated",
}
