package eid

import (
	"fmt"
	"strconv"
	"strings"
)

// DocumentType is tag 0F: the kind of card (beid-card.md §5.4).
type DocumentType struct {
	Code int    `json:"code"`
	Raw  string `json:"raw"`  // as on the card: "1", "01", "11"…
	Name string `json:"name"` // English meaning; empty for a code this package does not know
}

// documentTypeNames lists the codes of beid-card.md §5.4. The 2004 scheme
// (2 = EU citizen, 3 = non-EU) was replaced and is deliberately absent.
var documentTypeNames = map[int]string{
	1:  "Belgian citizen eID",
	6:  "Kids ID (under 12)",
	7:  "Bootstrap card",
	8:  "Habilitation card",
	11: "A-card",
	12: "B-card",
	13: "C-card",
	14: "D-card",
	15: "E-card",
	16: "E+-card",
	17: "F-card",
	18: "F+-card",
	19: "H-card (European blue card)",
	20: "I-card",
	21: "J-card",
	22: "M-card (Brexit, Art. 50 TEU)",
	23: "N-card (Brexit, frontier worker)",
	27: "K-card",
	28: "L-card",
	31: "EU card",
	32: "EU+ card",
	33: "A-card (2021 layout)",
	34: "B-card (2021 layout)",
	35: "F-card (2021 layout)",
	36: "F+-card (2021 layout)",
	61: "Kids foreigner card, EU",
	62: "Kids foreigner card, EU+",
	63: "Kids foreigner card, A",
	64: "Kids foreigner card, B",
	65: "Kids foreigner card, K",
	66: "Kids foreigner card, L",
	67: "Kids foreigner card, F",
	68: "Kids foreigner card, F+",
	69: "Kids foreigner card, M",
}

// DocumentTypeName returns the English meaning of a document type code.
func DocumentTypeName(code int) (string, bool) {
	name, ok := documentTypeNames[code]
	return name, ok
}

// ParseDocumentType reads tag 0F. "1" and "01" are the same code. A code
// that is numeric but unknown is accepted with an empty Name, because new
// card types keep being added; anything non-numeric is an error.
func ParseDocumentType(s string) (DocumentType, error) {
	t := strings.TrimSpace(s)
	if len(t) == 0 || len(t) > 2 || !allDigits(t) {
		return DocumentType{Raw: s}, fmt.Errorf("document type %q: want 1 or 2 digits", s)
	}
	code, _ := strconv.Atoi(t)
	name, _ := DocumentTypeName(code)
	return DocumentType{Code: code, Raw: s, Name: name}, nil
}
