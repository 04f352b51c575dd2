// Package packaging holds the descriptions of eidbridge's packages: the
// .deb and .rpm (nfpm.yaml, linux/), the Windows MSI (windows/) and the
// scripts that build and sign them. It has no code; its tests build the
// Debian package, install it on this machine and remove it again
// (EIDBRIDGE_PCSC_TESTS=1, as root), and test-sign a Windows binary.
package packaging
