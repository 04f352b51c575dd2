package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/eidbridge/eidbridge/demo"
)

// answerVerb is the hidden `eidbridge demo auto-pin-answer --origin O... DIR`:
// the exec: UI command of `demo --auto-pin`, which answers one question of
// the agent with demo.Answer, for the demo's sites (the portal and
// --allow-origin) with the PIN of the virtual card's profile DIR.
const answerVerb = "auto-pin-answer"

// answerCommand is demo.Config.AnswerCommand: this binary as the
// answerer of the demo's sites, with the card's profile directory.
func answerCommand(origins []string, cardDir string) ([]string, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("--auto-pin: finding this program: %w", err)
	}
	args := []string{exe, "demo", answerVerb}
	for _, o := range origins {
		args = append(args, "--origin", o)
	}
	return append(args, cardDir), nil
}

func runAnswer(args []string) error {
	fs := flag.NewFlagSet("demo "+answerVerb, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: eidbridge demo %s --origin ORIGIN... PROFILE_DIR < question.json\n", answerVerb)
	}
	var origins stringsFlag
	fs.Var(&origins, "origin", "a site to answer for (repeatable): the demo's portal, --allow-origin sites")
	dir, err := parseDir(fs, args)
	if err != nil {
		return err
	}
	if len(origins) == 0 {
		return errors.New("--origin is required: the demo portal's origin")
	}
	return demo.Answer(origins, dir, os.Stdin, os.Stdout, os.Stderr)
}
