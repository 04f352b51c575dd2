package pcsc

import (
	"errors"
	"fmt"
	"time"

	"github.com/eidbridge/eidbridge/apdu"
)

// Option configures a Context.
type Option func(*options) error

type options struct {
	tracer     apdu.Tracer
	backoffMin time.Duration
	backoffMax time.Duration
	establish  establishFunc
}

// Default retry pacing of Watch while the PC/SC service is down: quick
// enough to catch a restart, slow enough to cost nothing when it stays down.
const (
	DefaultBackoffMin = 100 * time.Millisecond
	DefaultBackoffMax = 5 * time.Second
)

func defaultOptions() options {
	return options{
		backoffMin: DefaultBackoffMin,
		backoffMax: DefaultBackoffMax,
		establish:  establishSystem,
	}
}

func buildOptions(opts []Option) (options, error) {
	o := defaultOptions()
	for i, opt := range opts {
		if opt == nil {
			return options{}, fmt.Errorf("pcsc: option %d is nil", i)
		}
		if err := opt(&o); err != nil {
			return options{}, err
		}
	}
	return o, nil
}

// WithTracer installs tr on every Card the Context connects (see
// Card.SetTracer). Tracing is off by default.
func WithTracer(tr apdu.Tracer) Option {
	return func(o *options) error {
		o.tracer = tr
		return nil
	}
}

// WithWatchBackoff sets how Watch paces its reconnection attempts while
// the PC/SC service is down: the first wait is min, doubling up to max.
func WithWatchBackoff(min, max time.Duration) Option {
	return func(o *options) error {
		if min <= 0 {
			return fmt.Errorf("pcsc: watch backoff minimum %v must be positive", min)
		}
		if max < min {
			return fmt.Errorf("pcsc: watch backoff maximum %v is below the minimum %v", max, min)
		}
		o.backoffMin, o.backoffMax = min, max
		return nil
	}
}

// withEstablish replaces the PC/SC service (unit tests use a fake).
func withEstablish(f establishFunc) Option {
	return func(o *options) error {
		if f == nil {
			return errors.New("pcsc: nil establish function")
		}
		o.establish = f
		return nil
	}
}

// nextBackoff doubles d, capped at max.
func nextBackoff(d, max time.Duration) time.Duration {
	if d >= max/2 {
		return max
	}
	return 2 * d
}
