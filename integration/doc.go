// Package integration holds end-to-end tests of the card stack: the eid
// package reading a virtual Belgian eID (eid/virtualcard) plugged into the
// real pcscd through vsmartcard's vpcd driver, card removal and pcscd
// restarts in the middle of that, OpenSC reading the same virtual card,
// and benchmarks counting the APDUs and bytes of a full read.
//
// It has no code of its own. The tests run only with
// EIDBRIDGE_PCSC_TESTS=1 (as `make test` sets) and pcscd running with the
// vpcd reader; they use the first vpcd slot, "Virtual PCD 00 00" on
// 127.0.0.1:35963 (the pcsc package's own tests use the second). The tests
// that stop pcscd also need EIDBRIDGE_PCSCD_RESTART=1.
package integration
