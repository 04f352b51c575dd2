package pcsc

import (
	"reflect"
	"testing"
)

var (
	atrA = []byte{0x3B, 0x7F, 0x96, 0x00}
	atrB = []byte{0x3B, 0x98, 0x13, 0x40}
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name     string
		old, cur snapshot
		want     []Event
	}{
		{"nothing", snapshot{}, snapshot{}, nil},
		{"unchanged", snapshot{"r": {present: true, atr: atrA, events: 1}}, snapshot{"r": {present: true, atr: atrA, events: 1}}, nil},
		{
			"initial report, sorted, reader before its card",
			snapshot{},
			snapshot{"r2": {}, "r1": {present: true, atr: atrA}},
			[]Event{{ReaderAdded, "r1", nil}, {CardInserted, "r1", atrA}, {ReaderAdded, "r2", nil}},
		},
		{"card inserted", snapshot{"r": {}}, snapshot{"r": {present: true, atr: atrA, events: 1}}, []Event{{CardInserted, "r", atrA}}},
		{"card removed", snapshot{"r": {present: true, atr: atrA, events: 1}}, snapshot{"r": {events: 2}}, []Event{{CardRemoved, "r", nil}}},
		{
			"swapped between two looks (event count)",
			snapshot{"r": {present: true, atr: atrA, events: 1}},
			snapshot{"r": {present: true, atr: atrA, events: 3}},
			[]Event{{CardRemoved, "r", nil}, {CardInserted, "r", atrA}},
		},
		{
			"swapped between two looks (ATR)",
			snapshot{"r": {present: true, atr: atrA}},
			snapshot{"r": {present: true, atr: atrB}},
			[]Event{{CardRemoved, "r", nil}, {CardInserted, "r", atrB}},
		},
		{"in and out between two looks", snapshot{"r": {events: 1}}, snapshot{"r": {events: 3}}, nil},
		{
			"reader unplugged with its card",
			snapshot{"r": {present: true, atr: atrA}, "s": {}},
			snapshot{"s": {}},
			[]Event{{CardRemoved, "r", nil}, {ReaderRemoved, "r", nil}},
		},
		{
			"removals before additions",
			snapshot{"b": {}},
			snapshot{"a": {}},
			[]Event{{ReaderRemoved, "b", nil}, {ReaderAdded, "a", nil}},
		},
		{
			"service lost",
			snapshot{"r": {present: true, atr: atrA}, "s": {}},
			snapshot{},
			[]Event{{CardRemoved, "r", nil}, {ReaderRemoved, "r", nil}, {ReaderRemoved, "s", nil}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := diff(tt.old, tt.cur)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("diff = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSnapshotOf(t *testing.T) {
	states := []readerState{
		{Reader: pnpReader, EventState: stateChanged | 5<<16},
		{Reader: "card", EventState: statePresent | stateChanged | 7<<16, Atr: atrA},
		{Reader: "empty", EventState: stateEmpty | 2<<16, Atr: atrB}, // stale ATR ignored
		{Reader: "gone", EventState: stateUnknown | stateUnavailable | stateChanged},
		{Reader: "broken", EventState: stateUnavailable},
	}
	want := snapshot{
		"card":   {present: true, atr: atrA, events: 7},
		"empty":  {events: 2},
		"broken": {},
	}
	if got := snapshotOf(states); !reflect.DeepEqual(got, want) {
		t.Errorf("snapshotOf = %+v, want %+v", got, want)
	}
}

func TestNextStates(t *testing.T) {
	prev := []readerState{
		{Reader: pnpReader, EventState: stateChanged | 3<<16},
		{Reader: "kept", EventState: statePresent | stateChanged | 9<<16},
		{Reader: "dropped", EventState: stateEmpty},
	}
	got := nextStates([]string{"kept", "new"}, prev, true)
	want := []readerState{
		{Reader: pnpReader, CurrentState: 3 << 16},
		{Reader: "kept", CurrentState: statePresent | 9<<16},
		{Reader: "new", CurrentState: stateUnaware},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("nextStates = %+v, want %+v", got, want)
	}
	if first := nextStates(nil, nil, true); len(first) != 1 || first[0].Reader != pnpReader || first[0].CurrentState != 0 {
		t.Errorf("nextStates with no readers = %+v, want the PnP entry alone", first)
	}
}

func TestNeedRelist(t *testing.T) {
	tests := []struct {
		name   string
		states []readerState
		want   bool
	}{
		{"quiet", []readerState{{Reader: pnpReader, EventState: 2 << 16}, {Reader: "r", EventState: statePresent | stateChanged}}, false},
		{"pnp fired", []readerState{{Reader: pnpReader, EventState: stateChanged}}, true},
		{"reader gone", []readerState{{Reader: pnpReader}, {Reader: "r", EventState: stateUnknown}}, true},
	}
	for _, tt := range tests {
		if got := needRelist(tt.states); got != tt.want {
			t.Errorf("%s: needRelist = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestPrune(t *testing.T) {
	snap := snapshot{"a": {present: true}, "b": {}}
	got := prune(snap, []string{"b", "c"})
	if want := (snapshot{"b": {}}); !reflect.DeepEqual(got, want) {
		t.Errorf("prune = %v, want %v", got, want)
	}
}

func TestEventString(t *testing.T) {
	tests := []struct {
		ev   Event
		want string
	}{
		{Event{CardInserted, "R", []byte{0x3B, 0x7F}}, `card inserted: "R", ATR 3B 7F`},
		{Event{ReaderRemoved, "R", nil}, `reader removed: "R"`},
		{Event{EventKind(9), "R", nil}, `EventKind(9): "R"`},
	}
	for _, tt := range tests {
		if got := tt.ev.String(); got != tt.want {
			t.Errorf("String = %q, want %q", got, tt.want)
		}
	}
}
