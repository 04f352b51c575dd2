package pcsc

import (
	"strings"
	"testing"
	"time"
)

func TestOptions(t *testing.T) {
	o, err := buildOptions(nil)
	if err != nil {
		t.Fatal(err)
	}
	if o.backoffMin != DefaultBackoffMin || o.backoffMax != DefaultBackoffMax || o.tracer != nil || o.establish == nil {
		t.Errorf("defaults = %+v", o)
	}
	traced := false
	o, err = buildOptions([]Option{WithWatchBackoff(time.Second, 3*time.Second), WithTracer(func(_, _ []byte) { traced = true })})
	if err != nil {
		t.Fatal(err)
	}
	if o.backoffMin != time.Second || o.backoffMax != 3*time.Second {
		t.Errorf("backoff = %v..%v", o.backoffMin, o.backoffMax)
	}
	o.tracer(nil, nil)
	if !traced {
		t.Error("WithTracer did not install the tracer")
	}
}

func TestOptionErrors(t *testing.T) {
	tests := []struct {
		name string
		opt  Option
		want string
	}{
		{"nil option", nil, "option 0 is nil"},
		{"zero minimum", WithWatchBackoff(0, time.Second), "minimum 0s must be positive"},
		{"max below min", WithWatchBackoff(time.Second, time.Millisecond), "maximum 1ms is below the minimum 1s"},
		{"nil establish", withEstablish(nil), "nil establish function"},
	}
	for _, tt := range tests {
		_, err := NewContext(tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: NewContext error = %v, want one containing %q", tt.name, err, tt.want)
		}
	}
}

func TestNextBackoff(t *testing.T) {
	max := time.Second
	d := 100 * time.Millisecond
	var got []time.Duration
	for range 5 {
		d = nextBackoff(d, max)
		got = append(got, d)
	}
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, max, max}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("backoff sequence = %v, want %v", got, want)
		}
	}
}
