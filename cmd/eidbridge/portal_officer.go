package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/eidbridge/eidbridge/portal"
)

const officerUsage = `usage: eidbridge portal officer add [--data DIR | --db URL] NATIONAL_NUMBER NAME
       eidbridge portal officer remove [--data DIR | --db URL] NATIONAL_NUMBER
       eidbridge portal officer list [--data DIR | --db URL]

Desk officers log in at /officer with their own eID; each registration is
recorded under its officer. A removal takes effect at once, on every
instance sharing the database.`

// runOfficer manages the portal's desk officers.
func runOfficer(ctx context.Context, args []string) error {
	v := newAdminVerb("portal officer", officerUsage)
	if err := v.parse(args, map[string]int{"add": 2, "remove": 1, "list": 0}); err != nil {
		return err
	}
	fs, data := v.fs, v.data
	if args[0] != "list" { // bad input changes nothing, not even a new data directory
		if _, err := portal.ParseOfficerNumber(fs.Arg(0)); err != nil {
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
		err = a.AddOfficer(ctx, fs.Arg(0), fs.Arg(1))
	case "remove":
		if err = a.RemoveOfficer(ctx, fs.Arg(0)); errors.Is(err, portal.ErrNotOfficer) {
			err = fmt.Errorf("%s is not a desk officer of the portal in %s", fs.Arg(0), *data)
		}
	default:
		err = listOfficers(ctx, a)
	}
	return err
}

func listOfficers(ctx context.Context, a *portal.Admin) error {
	officers, err := a.Officers(ctx)
	if err != nil {
		return err
	}
	for _, o := range officers {
		fmt.Printf("%s  %s  (since %s)\n", o.NationalNumber, o.Name, o.Added.Format("2006-01-02"))
	}
	return nil
}
