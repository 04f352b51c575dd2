package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/agent"
)

func init() {
	register(command{name: "allow", summary: "allow a website origin to use the agent", run: runAllow})
	register(command{name: "disallow", summary: "remove a website origin from the allowlist", run: runDisallow})
	register(command{name: "origins", summary: "list the origins allowed to use the agent", run: runOrigins})
}

const originsUsage = `usage:
  eidbridge allow [--config FILE] ORIGIN      e.g. https://mijn.example.be or https://*.example.be
  eidbridge disallow [--config FILE] ORIGIN
  eidbridge origins [--config FILE]

Edits the allowlist in the configuration file; a running agent reads it
when it starts.`

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
	config, _, err := originArgs("origins", args, 0)
	if err != nil {
		return err
	}
	cfg, _, err := loadConfigFile(config)
	if err != nil {
		return err
	}
	for _, o := range cfg.AllowedOrigins {
		fmt.Println(o)
	}
	return nil
}
