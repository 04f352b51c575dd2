package agent

import "encoding/json"

// CheckParams checks params for op exactly as the agent will when the
// request arrives. A relay that translates another protocol (nm-host's
// Web eID commands) refuses a bad request with it before it connects,
// so that no first-contact dialog comes up for a request that would
// fail anyway. The error is an *Error (INVALID_REQUEST or
// UNKNOWN_OPERATION).
func CheckParams(op string, params json.RawMessage) error {
	o, ok := operations[op]
	if !ok {
		return errorf(CodeUnknownOperation, "Unknown operation %q.", shorten(op))
	}
	if _, err := o.parse(params); err != nil {
		return err
	}
	return nil
}
