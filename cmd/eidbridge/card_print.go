package main

import (
	"crypto/x509"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/eidbridge/eidbridge/eid"
)

// certSummary is what `card read` shows of each certificate.
type certSummary struct {
	Role      string    `json:"role"`
	Present   bool      `json:"present"`
	Subject   string    `json:"subject,omitempty"`
	Issuer    string    `json:"issuer,omitempty"`
	NotBefore time.Time `json:"notBefore,omitzero"`
	NotAfter  time.Time `json:"notAfter,omitzero"`
}

func summarize(c *eid.Certificates) []certSummary {
	roles := []struct {
		name string
		cert *x509.Certificate
	}{{"authentication", c.Auth}, {"signature", c.Sign}, {"ca", c.CA}, {"root", c.Root}, {"rrn", c.RRN}}
	out := make([]certSummary, 0, len(roles))
	for _, r := range roles {
		s := certSummary{Role: r.name, Present: r.cert != nil}
		if r.cert != nil {
			s.Subject, s.Issuer = readableDN(r.cert.Subject), readableDN(r.cert.Issuer)
			s.NotBefore, s.NotAfter = r.cert.NotBefore, r.cert.NotAfter
		}
		out = append(out, s)
	}
	return out
}

func printResult(w io.Writer, r *readResult) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	id, a := r.Identity, r.Address
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("Reader", r.Reader)
	row("Card", fmt.Sprintf("applet %s, chip %s, card number %s", r.Card.Applet, r.Card.Serial, id.CardNumber))
	row("Document", fmt.Sprintf("%s, valid %s to %s, issued in %s", docName(id.DocumentType), id.ValidityStartRaw, id.ValidityEndRaw, id.DeliveryMunicipality))
	row("Name", strings.Join(strings.Fields(id.GivenNames+" "+id.ThirdNameInitial+" "+id.Surname), " "))
	row("National number", displayNationalNumber(id.NationalNumber))
	row("Born", fmt.Sprintf("%s, %s", id.BirthDate.Raw, id.BirthLocation))
	row("Sex", id.SexRaw)
	row("Nationality", id.Nationality)
	row("Address", fmt.Sprintf("%s, %s %s", a.StreetAndNumber, a.ZIP, a.Municipality))
	tw.Flush()
	fmt.Fprintln(w, "\nCertificates")
	for _, c := range r.Certificates {
		if !c.Present {
			fmt.Fprintf(w, "  %-15s none on this card\n", c.Role)
			continue
		}
		fmt.Fprintf(w, "  %-15s %s\n  %-15s issued by %s, valid %s to %s\n", c.Role, c.Subject, "", c.Issuer,
			c.NotBefore.Format(time.DateOnly), c.NotAfter.Format(time.DateOnly))
	}
	fmt.Fprintln(w, "\nVerification")
	for _, c := range r.Verification.Checks {
		fmt.Fprintf(w, "  %-14s %s: %s\n", c.Status, c.Name, c.Detail)
	}
	fmt.Fprintf(w, "\nResult: %s\n", verdict(r.Verification))
}

// verdict sums the report up in one line.
func verdict(r eid.Report) string {
	switch {
	case r.Trusted():
		return "the card data is authentic: signed by the National Register, under a trusted root"
	case !r.OK():
		return "verification FAILED (see the failed checks above)"
	case slices.ContainsFunc(r.Checks, func(c eid.Check) bool { return c.Status == eid.StatusUntrusted }):
		return "the card data is consistent, but the card's root is not a Belgian eID root; a test card's root can be trusted with --trust ROOT.pem"
	}
	return "not fully verified (see the checks not made above)"
}

func docName(d eid.DocumentType) string {
	if d.Name != "" {
		return d.Name
	}
	return "document type " + d.Raw
}

func displayNationalNumber(s string) string {
	n, err := eid.ParseNationalNumber(s)
	if err != nil {
		return s + " (invalid: " + err.Error() + ")"
	}
	return n.String()
}
