package agent

import "encoding/json"

// AddPanickingOperationForTest adds an operation that panics on the
// read loop (a stand-in for a bug), until the test ends.
func AddPanickingOperationForTest(name string) (remove func()) {
	operations[name] = operation{parse: func(json.RawMessage) (any, *Error) { return nil, nil },
		run: func(*call, any) (any, error) { panic("a bug in " + name) }}
	return func() { delete(operations, name) }
}
