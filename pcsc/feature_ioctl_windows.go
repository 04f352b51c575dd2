//go:build windows

package pcsc

// Windows builds control codes as CTL_CODE(FILE_DEVICE_SMARTCARD=0x31, c,
// METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x31<<16 | c<<2.
func ctlCode(c uint32) uint32 { return 0x31<<16 | c<<2 }
