package pcsc

// This package's own PC/SC vocabulary, so that the rest of it does not
// depend on which backend (scard or purego) reaches the library. The
// values are those of the PC/SC specification, shared by pcsc-lite,
// macOS and Windows.

// shareMode is SCardConnect's dwShareMode.
type shareMode uint32

const (
	shareExclusive shareMode = 1
	shareShared    shareMode = 2
	shareDirect    shareMode = 3
)

// protocol is a set of SCARD_PROTOCOL_* bits.
type protocol uint32

const (
	protocolUndefined protocol = 0
	protocolT0        protocol = 1
	protocolT1        protocol = 2
	protocolAny                = protocolT0 | protocolT1
)

// disposition says what to do with the card when a handle or a
// transaction ends.
type disposition uint32

const (
	leaveCard   disposition = 0
	resetCard   disposition = 1
	unpowerCard disposition = 2
	ejectCard   disposition = 3
)

// cardState is SCardStatus's state: SCARD_ABSENT and friends, a bit mask
// in pcsc-lite and macOS but an enumeration on Windows (see cardAbsent).
type cardState uint32

const (
	statusUnknown    cardState = 0x01
	statusAbsent     cardState = 0x02
	statusPresent    cardState = 0x04
	statusSwallowed  cardState = 0x08
	statusPowered    cardState = 0x10
	statusNegotiable cardState = 0x20
	statusSpecific   cardState = 0x40
)

// stateFlag is a reader state of SCardGetStatusChange (SCARD_STATE_*);
// the upper 16 bits carry the reader's event counter.
type stateFlag uint32

const (
	stateUnaware     stateFlag = 0x0000
	stateIgnore      stateFlag = 0x0001
	stateChanged     stateFlag = 0x0002
	stateUnknown     stateFlag = 0x0004
	stateUnavailable stateFlag = 0x0008
	stateEmpty       stateFlag = 0x0010
	statePresent     stateFlag = 0x0020
	stateAtrMatch    stateFlag = 0x0040
	stateExclusive   stateFlag = 0x0080
	stateInUse       stateFlag = 0x0100
	stateMute        stateFlag = 0x0200
	stateUnpowered   stateFlag = 0x0400
)

// readerState is one entry of SCardGetStatusChange: the caller sets
// Reader and CurrentState, the call sets EventState and, when a card
// answered, Atr.
type readerState struct {
	Reader       string
	CurrentState stateFlag
	EventState   stateFlag
	Atr          []byte
}

// cardStatus is what SCardStatus reports on a handle.
type cardStatus struct {
	Reader         string
	State          cardState
	ActiveProtocol protocol
	Atr            []byte
}

// maxATR is MAX_ATR_SIZE, the room for an ATR in a reader state.
const maxATR = 33

// infinite is the INFINITE timeout of SCardGetStatusChange.
const infinite = 0xFFFFFFFF
