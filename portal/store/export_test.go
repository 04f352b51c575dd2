package store

// Rebind is rebind, for the tests.
var Rebind = rebind
