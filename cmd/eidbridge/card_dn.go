package main

import (
	"crypto/x509/pkix"
	"fmt"
	"strings"
)

// attrNames covers the attributes of Belgian eID certificates; Go's
// pkix.Name.String prints surname and given name as hex OIDs.
var attrNames = map[string]string{
	"2.5.4.3": "CN", "2.5.4.4": "SN", "2.5.4.42": "GN", "2.5.4.5": "serialNumber",
	"2.5.4.6": "C", "2.5.4.10": "O", "2.5.4.11": "OU", "2.5.4.7": "L",
}

// readableDN renders a name in the order the certificate holds it.
func readableDN(n pkix.Name) string {
	parts := make([]string, 0, len(n.Names))
	for _, a := range n.Names {
		key, ok := attrNames[a.Type.String()]
		if !ok {
			key = a.Type.String()
		}
		parts = append(parts, fmt.Sprintf("%s=%v", key, a.Value))
	}
	return strings.Join(parts, ", ")
}
