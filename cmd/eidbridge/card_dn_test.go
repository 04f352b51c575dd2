package main

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

func TestReadableDN(t *testing.T) {
	n := pkix.Name{Names: []pkix.AttributeTypeAndValue{
		{Type: asn1.ObjectIdentifier{2, 5, 4, 6}, Value: "BE"},
		{Type: asn1.ObjectIdentifier{2, 5, 4, 3}, Value: "Jan Peeters (Authentication)"},
		{Type: asn1.ObjectIdentifier{2, 5, 4, 4}, Value: "Peeters"},
		{Type: asn1.ObjectIdentifier{2, 5, 4, 42}, Value: "Jan Maria"},
		{Type: asn1.ObjectIdentifier{1, 2, 3}, Value: "x"},
	}}
	want := "C=BE, CN=Jan Peeters (Authentication), SN=Peeters, GN=Jan Maria, 1.2.3=x"
	if got := readableDN(n); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
