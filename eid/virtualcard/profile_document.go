package virtualcard

import (
	"fmt"
	"hash/fnv"
	"time"
)

// resolveDocument settles document type, card number, validity and the
// foreigner work-permit mention.
func resolveDocument(id *Identity, o Options, now time.Time) error {
	doc := o.DocumentType
	switch {
	case doc != "":
	case o.Kids:
		doc = "06"
	case o.Foreigner:
		doc = "11" // A-card: limited stay, so a work-permit mention fits
	default:
		doc = "01"
	}
	if len(doc) == 1 {
		doc = "0" + doc
	}
	if len(doc) != 2 || !allDigits(doc) {
		return fmt.Errorf("document type %q: want one or two digits (beid-card.md §5.4)", o.DocumentType)
	}
	id.DocumentType = doc

	if o.WorkPermit != "" && !o.Foreigner {
		return fmt.Errorf("work permit %q: only foreigner cards carry tag 16", o.WorkPermit)
	}
	if o.Foreigner {
		id.WorkPermit = or(o.WorkPermit, "8")
		switch id.WorkPermit {
		case "7", "8", "9", "A":
		default:
			return fmt.Errorf("work permit %q: want 7, 8, 9 or A", o.WorkPermit)
		}
	}

	id.CardNumber = o.CardNumber
	if id.CardNumber == "" {
		id.CardNumber = defaultCardNumber(id.NationalNumber, o.Foreigner)
	} else if err := checkCardNumber(id.CardNumber); err != nil {
		return err
	}

	from := o.ValidFrom
	if from.IsZero() {
		from = now.AddDate(0, 0, -1)
	}
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	years := citizenValidityYears
	switch {
	case o.Kids:
		years = kidsValidityYears
	case o.Foreigner:
		years = foreignerValidityYears
	}
	id.validFrom = from
	id.validTo = from.AddDate(years, 0, -1)
	id.ValidFrom, id.ValidTo = cardDate(id.validFrom), cardDate(id.validTo)
	return nil
}

// defaultCardNumber derives a stable card number from the national
// number: 592 and seven digits for Belgians, B and seven digits for
// foreigners, then the check digits.
func defaultCardNumber(nn string, foreigner bool) string {
	h := fnv.New32a()
	h.Write([]byte(nn))
	n := h.Sum32() % 10_000_000
	if foreigner {
		return cardNumber(fmt.Sprintf("%07d", n), true)
	}
	return cardNumber(fmt.Sprintf("592%07d", n), false)
}
