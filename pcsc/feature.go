package pcsc

import (
	"encoding/binary"
	"fmt"
)

// Feature is a PC/SC part 10 feature tag, as listed by the reader in its
// answer to CM_IOCTL_GET_FEATURE_REQUEST.
type Feature byte

// The feature tags of PC/SC part 10 v2.02. This package drives the
// DIRECT ones and, when a reader lacks them, the START/FINISH pairs; the
// others are parsed so that Features can show them.
const (
	FeatureVerifyPINStart     Feature = 0x01
	FeatureVerifyPINFinish    Feature = 0x02
	FeatureModifyPINStart     Feature = 0x03
	FeatureModifyPINFinish    Feature = 0x04
	FeatureGetKeyPressed      Feature = 0x05
	FeatureVerifyPINDirect    Feature = 0x06
	FeatureModifyPINDirect    Feature = 0x07
	FeatureMCTReaderDirect    Feature = 0x08
	FeatureMCTUniversal       Feature = 0x09
	FeatureIFDPINProperties   Feature = 0x0A
	FeatureAbort              Feature = 0x0B
	FeatureSetSPEMessage      Feature = 0x0C
	FeatureVerifyPINDirectApp Feature = 0x0D
	FeatureModifyPINDirectApp Feature = 0x0E
	FeatureWriteDisplay       Feature = 0x0F
	FeatureGetKey             Feature = 0x10
	FeatureIFDDisplayProps    Feature = 0x11
	FeatureGetTLVProperties   Feature = 0x12
	FeatureCCIDEscapeCommand  Feature = 0x13
	FeatureExecutePACE        Feature = 0x20
	FeatureEIDAwarePINPad     Feature = 0x80 // Belgian "eID-aware PIN pad" marker
)

// getFeatureRequest is CM_IOCTL_GET_FEATURE_REQUEST, SCARD_CTL_CODE(3400),
// whose encoding differs per platform (see ctlCode).
var getFeatureRequest = ctlCode(3400)

// Features maps each feature a reader offers to the SCardControl code
// that runs it. The codes come from the reader, never from a table here:
// drivers choose them freely.
type Features map[Feature]uint32

// Has reports whether the reader offers f.
func (fs Features) Has(f Feature) bool {
	_, ok := fs[f]
	return ok
}

// featureEntryLen is one TLV: tag, length 04, 4-byte big-endian code.
const featureEntryLen = 6

// parseFeatures decodes the TLV list of CM_IOCTL_GET_FEATURE_REQUEST.
// It is strict: a reader that garbles this list cannot be trusted with a
// PIN structure either, so any fault rejects the whole list.
func parseFeatures(b []byte) (Features, error) {
	fs := Features{}
	for off := 0; off < len(b); off += featureEntryLen {
		rest := b[off:]
		if len(rest) < 2 {
			return nil, fmt.Errorf("pcsc: feature list: entry at byte %d is cut short after %d byte(s)", off, len(rest))
		}
		tag, n := Feature(rest[0]), int(rest[1])
		switch {
		case n != 4:
			return nil, fmt.Errorf("pcsc: feature list: feature %02X at byte %d has length %d, want 4", byte(tag), off, n)
		case len(rest) < featureEntryLen:
			return nil, fmt.Errorf("pcsc: feature list: feature %02X at byte %d is cut short: %d of 4 value bytes", byte(tag), off, len(rest)-2)
		case fs.Has(tag):
			return nil, fmt.Errorf("pcsc: feature list: feature %02X is listed twice", byte(tag))
		}
		fs[tag] = binary.BigEndian.Uint32(rest[2:featureEntryLen])
	}
	return fs, nil
}
