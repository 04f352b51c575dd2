package agent

import "fmt"

// Allow adds pattern to the allowed origins in its canonical form. It
// reports false when an equal pattern is already there.
func (c *Config) Allow(pattern string) (bool, error) {
	o, err := ParsePattern(pattern)
	if err != nil {
		return false, err
	}
	if c.indexOf(o) >= 0 {
		return false, nil
	}
	c.AllowedOrigins = append(c.AllowedOrigins, o.String())
	return true, nil
}

// Disallow removes every entry equal to pattern once canonicalised; it
// is an error when there is none, so a typo does not pass for success.
func (c *Config) Disallow(pattern string) error {
	o, err := ParsePattern(pattern)
	if err != nil {
		return err
	}
	i := c.indexOf(o)
	if i < 0 {
		return fmt.Errorf("%s is not in the allowed origins", o)
	}
	for ; i >= 0; i = c.indexOf(o) {
		c.AllowedOrigins = append(c.AllowedOrigins[:i], c.AllowedOrigins[i+1:]...)
	}
	return nil
}

// indexOf finds an entry equal to o; entries that do not parse never are.
func (c *Config) indexOf(o Origin) int {
	for i, s := range c.AllowedOrigins {
		if p, err := ParsePattern(s); err == nil && p == o {
			return i
		}
	}
	return -1
}
