package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/eidbridge/eidbridge/agent"
)

func init() {
	register(command{name: "allow", summary: "allow a website origin to use the agent", run: runAllow})
	register(command{name: "disallow", summary: "remove a website origin from the allowlist", run: runDisallow})
	register(command{name: "origins", summary: "list the allowed origins and the answers given to other sites; forget one",
		run: runOrigins})
}

const originsUsage = `usage:
  eidbridge allow [--config FILE] ORIGIN      e.g. https://mijn.example.be or https://*.example.be
  eidbridge disallow [--config FILE] ORIGIN
  eidbridge origins [--config FILE]
  eidbridge origins forget [--config FILE] ORIGIN|SITE

allow and disallow edit the allowlist in the configuration file; a running
agent reads it when it starts. origins lists it, then what the citizen
answered when a site outside it asked (sites.json beside the configuration
file): "always" per origin, "no" per site until a given time. forget removes
such an answer at once, also for a running agent, so the site asks again.`

// originArgs parses [--config FILE] followed by want positional args.
func originArgs(name string, args []string, want int) (string, []string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	fs.Usage = func() { fmt.Fprintln(os.Stderr, originsUsage) }
	config := fs.String("config", "", "configuration file")
	if err := fs.Parse(args); err != nil {
		return "", nil, errUsage
	}
	if fs.NArg() != want {
		fmt.Fprintln(os.Stderr, originsUsage)
		return "", nil, errUsage
	}
	return *config, fs.Args(), nil
}

// loadConfigFile loads path, or the default configuration file when path
// is empty, and returns the path used.
func loadConfigFile(path string) (agent.Config, string, error) {
	if path == "" {
		var err error
		if path, err = agent.ConfigPath(); err != nil {
			return agent.DefaultConfig(), "", err
		}
	}
	cfg, err := agent.LoadConfig(path)
	return cfg, path, err
}

func runAllow(_ context.Context, args []string) error {
	config, rest, err := originArgs("allow", args, 1)
	if err != nil {
		return err
	}
	cfg, path, err := loadConfigFile(config)
	if err != nil {
		return err
	}
	added, err := cfg.Allow(rest[0])
	if err != nil {
		return err
	}
	if !added {
		fmt.Printf("%s is already allowed\n", rest[0])
		return nil
	}
	if err := cfg.Save(path); err != nil {
		return err
	}
	fmt.Printf("allowed %s (in %s; restart the agent to apply)\n", cfg.AllowedOrigins[len(cfg.AllowedOrigins)-1], path)
	return nil
}

func runDisallow(_ context.Context, args []string) error {
	config, rest, err := originArgs("disallow", args, 1)
	if err != nil {
		return err
	}
	cfg, path, err := loadConfigFile(config)
	if err != nil {
		return err
	}
	if err := cfg.Disallow(rest[0]); err != nil {
		return err
	}
	if err := cfg.Save(path); err != nil {
		return err
	}
	fmt.Printf("removed %s (in %s; restart the agent to apply)\n", rest[0], path)
	return nil
}

func runOrigins(_ context.Context, args []string) error {
	if len(args) > 0 && args[0] == "forget" {
		return runForget(args[1:])
	}
	config, _, err := originArgs("origins", args, 0)
	if err != nil {
		return err
	}
	cfg, path, err := loadConfigFile(config)
	if err != nil {
		return err
	}
	answers, err := agent.LoadSiteAnswers(sitesPath(path))
	if err != nil {
		return err
	}
	printOrigins(os.Stdout, cfg, answers, time.Now())
	return nil
}

// printOrigins lists the allowlist, then the answers still in force.
func printOrigins(w io.Writer, cfg agent.Config, answers agent.SiteAnswers, now time.Time) {
	for _, o := range cfg.AllowedOrigins {
		fmt.Fprintln(w, o)
	}
	if !cfg.AsksNewSites() {
		fmt.Fprintln(w, "# sites outside this list are refused without asking (firstContact is false)")
	}
	answers.Prune(now)
	for _, o := range slices.Sorted(maps.Keys(answers.Always)) {
		fmt.Fprintf(w, "%s\talways (since %s)\n", o, answers.Always[o].Local().Format(time.DateTime))
	}
	for _, site := range slices.Sorted(maps.Keys(answers.No)) {
		fmt.Fprintf(w, "%s\tno (until %s)\n", site, answers.No[site].Local().Format(time.DateTime))
	}
}

func runForget(args []string) error {
	config, rest, err := originArgs("origins forget", args, 1)
	if err != nil {
		return err
	}
	_, path, err := loadConfigFile(config)
	if err != nil {
		return err
	}
	sites := sitesPath(path)
	answers, err := agent.LoadSiteAnswers(sites)
	if err != nil {
		return err
	}
	if !answers.Forget(rest[0]) {
		return fmt.Errorf("no answer is kept for %s (eidbridge origins lists them)", rest[0])
	}
	if err := answers.Save(sites); err != nil {
		return err
	}
	fmt.Printf("forgot the answer for %s; it will be asked again\n", rest[0])
	return nil
}

// sitesPath is the answers file beside the configuration file.
func sitesPath(configPath string) string {
	return filepath.Join(filepath.Dir(configPath), agent.SitesFile)
}
