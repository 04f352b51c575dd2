package packaging

import (
	"bytes"
	"encoding/binary"
)

// Go's Windows runtime (since Go 1.22) needs ProcessPrng from
// bcryptprimitives.dll, which Wine has only since 8.13; Debian 12 ships
// Wine 8.0, where every Go program stops with "bcryptprimitives.dll not
// found". forwarderDLL makes the smallest x64 DLL whose one export
// forwards to another DLL's function: bcryptprimitives.ProcessPrng to
// advapi32.SystemFunction036 (RtlGenRandom), which fills a buffer with
// random bytes and returns TRUE just as ProcessPrng does. It holds no
// code, only an export table, so the loader resolves the call to Wine's
// own function.
func forwarderDLL(dllName, export, target string) []byte {
	const (
		rva        = 0x1000 // the export section's address in the image
		fileAlign  = 0x200
		dirSize    = 40 // IMAGE_EXPORT_DIRECTORY
		eat, names = dirSize, dirSize + 4
		ordinals   = names + 4
		strs       = ordinals + 2
	)
	nameOff := strs
	exportOff := nameOff + len(dllName) + 1
	targetOff := exportOff + len(export) + 1
	size := targetOff + len(target) + 1

	var sec bytes.Buffer
	le := func(b *bytes.Buffer, v ...any) {
		for _, x := range v {
			binary.Write(b, binary.LittleEndian, x)
		}
	}
	le(&sec, uint32(0), uint32(0), uint16(0), uint16(0), uint32(rva+nameOff), // flags, time, version, DLL name
		uint32(1), uint32(1), uint32(1), // ordinal base, functions, names
		uint32(rva+eat), uint32(rva+names), uint32(rva+ordinals))
	// A function address inside the export section is a forwarder: the
	// "DLL.Function" string it points to.
	le(&sec, uint32(rva+targetOff), uint32(rva+exportOff), uint16(0))
	sec.WriteString(dllName + "\x00" + export + "\x00" + target + "\x00")

	var img bytes.Buffer
	img.Write([]byte("MZ"))
	img.Write(make([]byte, 0x3a))
	le(&img, uint32(0x40)) // e_lfanew: the PE header follows
	img.WriteString("PE\x00\x00")
	le(&img, uint16(0x8664), uint16(1), uint32(0), uint32(0), uint32(0), uint16(240), // x64, 1 section, optional header size
		uint16(0x2022)) // executable image, large-address aware, DLL
	le(&img, uint16(0x20b), uint8(0), uint8(0), uint32(0), uint32(fileAlign), uint32(0), // PE32+, sizes of code and data
		uint32(0), uint32(rva), uint64(0x180000000), // no entry point, base of code, image base
		uint32(0x1000), uint32(fileAlign), uint16(6), uint16(0), uint16(0), uint16(0), uint16(6), uint16(0), uint32(0),
		uint32(rva+0x1000), uint32(fileAlign), uint32(0), uint16(2), uint16(0x100), // image and header sizes, checksum, GUI, NX
		uint64(0x100000), uint64(0x1000), uint64(0x100000), uint64(0x1000), uint32(0), uint32(16)) // stack, heap, 16 directories
	le(&img, uint32(rva), uint32(size)) // the export directory; the 15 others are empty
	img.Write(make([]byte, 15*8))
	img.WriteString(".edata\x00\x00")
	le(&img, uint32(size), uint32(rva), uint32(fileAlign), uint32(fileAlign), uint32(0), uint32(0), uint16(0), uint16(0),
		uint32(0x40000040)) // initialized data, readable
	img.Write(make([]byte, fileAlign-img.Len()))
	img.Write(sec.Bytes())
	img.Write(make([]byte, 2*fileAlign-img.Len()))
	return img.Bytes()
}
