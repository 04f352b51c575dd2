// Package xshot gives tests a private X server (Xvfb) and pictures of
// the windows that programs under test show on it, so that a test can
// look at a real dialog as the citizen would see it.
package xshot
