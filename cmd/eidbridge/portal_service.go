package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/eidbridge/eidbridge/portal"
	"github.com/eidbridge/eidbridge/portal/idp"
)

const serviceUsage = `usage: eidbridge portal service add [--data DIR | --db URL] --name NAME --redirect URI
           [--redirect URI]... [--logout URI]... [--scope profile|national_register_number]... ID
       eidbridge portal service remove [--data DIR | --db URL] ID
       eidbridge portal service list [--data DIR | --db URL]

Government services log citizens in through the portal with OpenID Connect
(issuer: the portal's origin). "add" registers a service, or replaces its
registration, and prints its new client secret once: give it to the
service. NAME is what citizens read on the login page. A removal ends the
service's access tokens at once, on every instance.`

// runService manages the services registered with the portal's provider.
func runService(ctx context.Context, args []string) error {
	v := newAdminVerb("portal service", serviceUsage)
	fs, data := v.fs, v.data
	name := fs.String("name", "", "the service's name, as citizens read it")
	var redirects, logouts, scopes stringsFlag // repeatable strings
	fs.Var(&redirects, "redirect", "a redirect URI (repeatable)")
	fs.Var(&logouts, "logout", "a post-logout redirect URI (repeatable)")
	fs.Var(&scopes, "scope", "a scope it may ask: profile, national_register_number (repeatable)")
	if err := v.parse(args, map[string]int{"add": 1, "remove": 1, "list": 0}); err != nil {
		return err
	}
	spec := idp.ClientSpec{ID: fs.Arg(0), Name: *name, Secret: idp.NewSecret(), RedirectURIs: redirects,
		PostLogoutURIs: logouts, Scopes: scopes}
	if args[0] == "add" { // bad input changes nothing, not even a new data directory
		if err := spec.Check(); err != nil {
			return err
		}
	}
	a, err := portal.OpenAdmin(ctx, *v.dbURL, *data)
	if err != nil {
		return err
	}
	defer a.Close()
	switch args[0] {
	case "add":
		if err = a.RegisterService(ctx, spec); err == nil {
			fmt.Printf("registered %s; its client secret (shown once): %s\n", spec.ID, spec.Secret)
		}
	case "remove":
		if err = a.RemoveService(ctx, fs.Arg(0)); errors.Is(err, idp.ErrUnknownClient) {
			err = fmt.Errorf("no service %q is registered with the portal in %s", fs.Arg(0), *data)
		}
	default:
		err = listServices(ctx, a)
	}
	return err
}

func listServices(ctx context.Context, a *portal.Admin) error {
	services, err := a.Services(ctx)
	if err != nil {
		return err
	}
	for _, s := range services {
		fmt.Printf("%s  %q  redirect %s  scopes %s\n", s.ID, s.Name, strings.Join(s.RedirectURIs, " "),
			strings.Join(append([]string{"openid"}, s.Scopes...), " "))
	}
	return nil
}
