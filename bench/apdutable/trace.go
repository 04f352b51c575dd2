package main

import "github.com/eidbridge/eidbridge/bench/internal/vtrace"

// countTrace counts the APDU pairs of a `vcard run --trace` file and
// their bytes.
func countTrace(path string) (Tally, error) {
	pairs, err := vtrace.Read(path, 0)
	if err != nil {
		return Tally{}, err
	}
	t := Tally{APDUs: len(pairs)}
	for _, p := range pairs {
		t.Bytes += p.Bytes()
	}
	return t, nil
}
