package nmhost

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/eidbridge/eidbridge/agent"
)

// The Web eID commands, and what each becomes in the agent's protocol.
const (
	cmdAuthenticate  = "authenticate"
	cmdSigningCert   = "get-signing-certificate"
	cmdSign          = "sign"
	cmdQuit          = "quit"
	maxOriginLength  = 255
	maxForwardedLang = 35 // the agent's limit; a longer tag is not passed on
)

// commandArgs are each command's agent operation and required arguments
// (lang is optional for all but quit). Every argument but origin and
// lang is a parameter of the agent's operation, under the same name.
var commandArgs = map[string]struct {
	op   string
	args []string
}{
	cmdAuthenticate: {agent.OpAuthenticate, []string{"challengeNonce", "origin"}},
	cmdSigningCert:  {agent.OpGetSigningCertificate, []string{"origin"}},
	cmdSign:         {agent.OpSign, []string{"hash", "hashFunction", "certificate", "origin"}},
	cmdQuit:         {},
}

// webEIDCommand is one checked command.
type webEIDCommand struct {
	name   string
	origin string
	lang   string            // for the agent's dialogs, when within its limit
	op     string            // the agent's operation
	params map[string]string // the agent's parameters
}

// parseCommand reads {"command": NAME, "arguments": {...}} strictly: the
// exact argument set of NAME, every value a non-empty string (lang may
// be empty), the origin canonical https, and the parameters as the agent
// will check them, so that a bad command never reaches the agent.
func parseCommand(msg []byte) (webEIDCommand, *webEIDError) {
	top, err := members(msg)
	if err != nil || len(top) != 2 || top["command"] == nil || top["arguments"] == nil {
		return webEIDCommand{}, invalidArgument(`the message must be {"command": NAME, "arguments": {...}} (%v)`, errOr(err, "other members"))
	}
	var name string
	if json.Unmarshal(top["command"], &name) != nil {
		return webEIDCommand{}, invalidArgument("command must be a string")
	}
	spec, ok := commandArgs[name]
	if !ok {
		return webEIDCommand{}, invalidArgument("unknown command %.40q", name)
	}
	args, werr := stringArguments(top["arguments"], spec.args, name != cmdQuit)
	if werr != nil {
		return webEIDCommand{}, werr
	}
	cmd := webEIDCommand{name: name, origin: args["origin"], op: spec.op, params: map[string]string{}}
	if name == cmdQuit {
		return cmd, nil
	}
	if werr := checkOrigin(cmd.origin); werr != nil {
		return webEIDCommand{}, werr
	}
	for k, v := range args {
		if k != "origin" && k != "lang" {
			cmd.params[k] = v
		}
	}
	if l := args["lang"]; len(l) <= maxForwardedLang { // the dialogs' language: a bad tag only falls back
		cmd.lang = l
	}
	return cmd, checkParams(cmd)
}

// stringArguments decodes the arguments object: exactly want (and lang,
// when allowed), each a string, non-empty but for lang.
func stringArguments(raw json.RawMessage, want []string, lang bool) (map[string]string, *webEIDError) {
	obj, err := members(raw)
	if err != nil {
		return nil, invalidArgument("arguments must be a JSON object (%v)", err)
	}
	out := map[string]string{}
	for k, v := range obj {
		if !slices.Contains(want, k) && !(lang && k == "lang") {
			return nil, invalidArgument("unexpected argument %.40q (%s)", k, describeArgs(want, lang))
		}
		var s string
		if json.Unmarshal(v, &s) != nil {
			return nil, invalidArgument("argument %q must be a string", k)
		}
		if s == "" && k != "lang" {
			return nil, invalidArgument("argument %q is empty", k)
		}
		out[k] = s
	}
	for _, k := range want {
		if _, ok := out[k]; !ok {
			return nil, invalidArgument("argument %q is missing (%s)", k, describeArgs(want, lang))
		}
	}
	return out, nil
}

func describeArgs(want []string, lang bool) string {
	d := "want " + strings.Join(want, ", ")
	if lang {
		d += " and optionally lang"
	}
	if len(want) == 0 && !lang {
		d = "want none"
	}
	return d
}

// checkOrigin accepts what the extension sends, the page's
// location.origin: https, canonical, at most 255 characters.
func checkOrigin(origin string) *webEIDError {
	if len(origin) > maxOriginLength {
		return invalidArgument("origin is longer than %d characters", maxOriginLength)
	}
	o, err := agent.ParseOrigin(origin)
	switch {
	case err != nil:
		return invalidArgument("origin %.80q: %v", origin, err)
	case o.Scheme != "https":
		return invalidArgument("origin %.80q: the scheme must be https", origin)
	case o.String() != origin:
		return invalidArgument("origin %.80q is not canonical (want %s)", origin, o)
	}
	return nil
}

// checkParams runs the agent's own parameter checks.
func checkParams(cmd webEIDCommand) *webEIDError {
	raw, err := json.Marshal(cmd.params)
	if err == nil {
		err = agent.CheckParams(cmd.op, raw)
	}
	var e *agent.Error
	if errors.As(err, &e) {
		return invalidArgument("%s", strings.TrimPrefix(e.Message, "Invalid request: "))
	}
	if err != nil {
		return invalidArgument("%v", err)
	}
	return nil
}

// members decodes one JSON object into its members, refusing duplicate
// names and anything after the object.
func members(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	out := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("bad JSON: %w", err)
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("bad JSON in %.40q: %w", k, err)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("%.40q appears twice", k)
		}
		out[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("bad JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("data after the JSON object")
	}
	return out, nil
}

func errOr(err error, s string) string {
	if err != nil {
		return err.Error()
	}
	return s
}
