package doctor

import (
	"context"
	"crypto/x509"
	"errors"

	"github.com/eidbridge/eidbridge/eid"
	"github.com/eidbridge/eidbridge/pcsc"
)

// ProbeCard looks at every reader through PC/SC. From a Belgian eID it
// reads the card data, the two citizen certificates (for their dates)
// and the PIN state with the empty VERIFY, which spends no try; nothing
// else, and no PIN is ever asked.
func ProbeCard(_ context.Context) CardSnapshot {
	pc, err := pcsc.NewContext()
	if err != nil {
		return CardSnapshot{Service: err}
	}
	defer pc.Close()
	names, err := pc.Readers()
	if errors.Is(err, pcsc.ErrNoReaders) {
		return CardSnapshot{}
	}
	if err != nil {
		return CardSnapshot{Service: err}
	}
	var s CardSnapshot
	for _, name := range names {
		s.Readers = append(s.Readers, probeReader(pc, name))
	}
	return s
}

func probeReader(pc *pcsc.Context, name string) ReaderInfo {
	ri := ReaderInfo{Name: name}
	conn, err := pc.Connect(name)
	if err != nil {
		ri.Err = err
		return ri
	}
	defer conn.Close()
	ri.ATR = conn.ATR()
	family := eid.RecognizeATR(ri.ATR)
	if family == eid.NotBelgianEID {
		return ri
	}
	ri.Belgian = true
	card, err := eid.Open(conn, family)
	if err != nil {
		ri.OpenErr = err
		return ri
	}
	ri.Applet = card.Data.Applet()
	ri.Certs, ri.CertsErr = readCerts(card)
	ri.PIN, ri.PINErr = card.PINStatus()
	return ri
}

// readCerts reads the authentication and signing certificates.
func readCerts(card *eid.Card) ([]CertInfo, error) {
	files, err := card.Read(eid.FileAuthCert, eid.FileSignCert)
	if err != nil {
		return nil, err
	}
	certs, err := eid.ParseCertificates(files)
	if err != nil {
		return nil, err
	}
	return []CertInfo{certInfo("authentication", certs.Auth), certInfo("signing", certs.Sign)}, nil
}

func certInfo(name string, c *x509.Certificate) CertInfo {
	if c == nil {
		return CertInfo{Name: name}
	}
	return CertInfo{Name: name, Present: true, NotBefore: c.NotBefore, NotAfter: c.NotAfter}
}
