package main

import (
	"fmt"

	"github.com/eidbridge/eidbridge/eid/virtualcard"
)

const header = `| Card | Files | Ours APDUs | Ours bytes | Lower bound APDUs | Lower bound bytes | OpenSC APDUs | OpenSC bytes | Ours / lower bound (APDUs, bytes) | Ours / OpenSC (APDUs, bytes) |
|---|---|---|---|---|---|---|---|---|---|
`

// rowOf builds one table row from a fixture and the two traces.
func rowOf(name, dir, oursTrace, openSCTrace string) (string, error) {
	c, err := virtualcard.Load(dir)
	if err != nil {
		return "", err
	}
	lb, err := lowerBound(c)
	if err != nil {
		return "", err
	}
	ours, err := countTrace(oursTrace)
	if err != nil {
		return "", err
	}
	osc, err := countTrace(openSCTrace)
	if err != nil {
		return "", err
	}
	applet := fmt.Sprintf("%d.%d", c.Applet>>4, c.Applet&0x0F)
	return fmt.Sprintf("| %s (applet %s) | %d | %d | %d | %d | %d | %d | %d | %s, %s | %s, %s |",
		name, applet, lb.Files, ours.APDUs, ours.Bytes, lb.APDUs, lb.Bytes, osc.APDUs, osc.Bytes,
		ratio(ours.APDUs, lb.APDUs), ratio(ours.Bytes, lb.Bytes),
		ratio(ours.APDUs, osc.APDUs), ratio(ours.Bytes, osc.Bytes)), nil
}

func ratio(a, b int) string {
	if b == 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", float64(a)/float64(b))
}
