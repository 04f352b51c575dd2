package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net"

	"github.com/eidbridge/eidbridge/demoservice"
	"github.com/eidbridge/eidbridge/portal/idp"
)

// serviceID is the demo service's client id at the portal.
const serviceID = "demo-service"

// service is MyDemo, the government service the demo runs beside the
// portal: it logs citizens in through the portal's OpenID provider.
type service struct {
	ln      net.Listener
	note    string // why it is not on ServiceAddr's port, if it is not
	origin  string
	handler *demoservice.Service
}

// prepareService listens for the service, registers it with the portal
// under a secret made for this run (a kept data directory gets the new
// one) and builds it. The service discovers the provider at its first
// login, so the order of starting does not matter.
func (d *setup) prepareService() error {
	ln, note, err := listenOr(d.cfg.ServiceAddr, d.cfg.ServiceAddrChosen)
	if err != nil {
		return fmt.Errorf("demo service: listen: %w", err)
	}
	d.closers = append(d.closers, func() { ln.Close() })
	d.svc = service{ln: ln, note: note, origin: httpOrigin(d.cfg.ServiceAddr, ln)}
	secret, err := serviceSecret()
	if err != nil {
		return err
	}
	spec := idp.ClientSpec{ID: serviceID, Name: demoservice.Name, Secret: secret,
		RedirectURIs: []string{d.svc.origin + "/callback"}, PostLogoutURIs: []string{d.svc.origin + "/"},
		Scopes: []string{idp.ScopeProfile}}
	if err := d.portal.RegisterService(context.Background(), spec); err != nil {
		return fmt.Errorf("demo service: %w", err)
	}
	d.svc.handler, err = demoservice.New(demoservice.Config{Issuer: d.origin, ClientID: serviceID,
		ClientSecret: secret, Origin: d.svc.origin, Logger: d.log})
	return err
}

// serviceSecret is a random client secret: 256 bits, which is more than
// the provider's minimum length in characters.
func serviceSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo service: client secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// serviceWalkthrough is the banner's part on the service: a token first,
// then a login with it, then one with the eID.
func (d *setup) serviceWalkthrough(line func(string, ...any)) {
	u := d.svc.origin
	line("   A government service, %s, logs you in through the portal:", demoservice.Name)
	line("   a. Get a token first (steps 1 to 3).")
	line("   b. Open %s/ and press \"Log in\"; at the portal choose the federal", u)
	line("      token: username, password and the one code it asks for. %s shows", demoservice.Name)
	line("      your name and that you logged in with your federal token.")
	line("   c. Press \"Log out\" at %s, log in again (the portal asks every time) and", demoservice.Name)
	if d.cfg.AutoPIN {
		line("      choose the eID (the PIN is answered automatically): now \"with your eID\".")
	} else {
		line("      choose the eID: the agent asks for the PIN; now \"with your eID\".")
	}
}
