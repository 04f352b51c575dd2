package agent

import "encoding/json"

// version reports the agent and protocol versions and what is served.
func (cl *call) version(any) (any, error) {
	return VersionResult{
		AgentVersion:    cl.s.opts.Version,
		ProtocolVersion: ProtocolVersion,
		Operations:      operationNames,
		Events:          []string{EventReaderAdded, EventReaderRemoved, EventCardInserted, EventCardRemoved},
	}, nil
}

// status reports readers (by this site's handles) and whether each
// holds a Belgian eID, as the watcher last saw them; it never touches a
// card, so it works while an operation runs.
func (cl *call) status(any) (any, error) {
	return cl.s.hub.status(cl.c.origin.String()), nil
}

func parseCancel(raw json.RawMessage) (any, *Error) {
	var p CancelParams
	if err := decodeParams(raw, &p); err != nil {
		return nil, err
	}
	if p.ID == "" {
		return nil, invalid(`cancel needs the "id" of the request to cancel`)
	}
	return p, nil
}

// cancelOp closes the dialog of this connection's request p.ID, which
// then answers USER_CANCELLED. Only the connection's own request can be
// cancelled; an id that is not running gives cancelled: false.
func (cl *call) cancelOp(params any) (any, error) {
	p := params.(CancelParams)
	cl.c.mu.Lock()
	defer cl.c.mu.Unlock()
	if pd := cl.c.pending; pd != nil && pd.id == p.ID {
		pd.cancel(errPageCancel)
		return CancelResult{Cancelled: true}, nil
	}
	return CancelResult{Cancelled: false}, nil
}
