// Package packaging holds the descriptions of eidbridge's packages: the
// .deb and .rpm (nfpm.yaml, linux/), the Windows MSI (windows/) and the
// scripts that build and sign them. It has no code. Its tests
// (EIDBRIDGE_PCSC_TESTS=1, as root) build the packages, install the .deb
// on this machine and the .rpm into a throwaway root (rpm --root), and
// remove them again; install the MSI and run `eidbridge install` under
// Wine in a throwaway prefix; and test-sign a Windows binary.
package packaging
