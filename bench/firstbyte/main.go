// Command firstbyte measures how soon a command answers: the time from
// starting its process to the first byte on its stdout, the wait of the
// browser that starts `eidbridge nm-host`; bench/agent-idle.sh drives it.
//
//	firstbyte [-hello ORIGIN] RUNS COMMAND [ARG]...
//
// With -hello, the extension's first message {"origin": ORIGIN} is framed
// as native messaging does and already waits on the command's stdin when
// it starts, so the time is the host's own: process start, package
// initialisation, reading the hello, finding and dialling the agent, and
// writing its status. The command's stdin is closed after the first byte
// (the browser went away). It prints the median, the fastest and the
// slowest run in milliseconds, and the first message (the first frame
// with -hello, else the first line). The command's environment is this
// one's.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "firstbyte:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("firstbyte", flag.ContinueOnError)
	origin := fs.String("hello", "", "send the extension's hello for this origin, framed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 2 {
		return errors.New("usage: firstbyte [-hello ORIGIN] RUNS COMMAND [ARG]...")
	}
	runs, err := strconv.Atoi(fs.Arg(0))
	if err != nil || runs < 1 {
		return fmt.Errorf("runs %q: want a positive number", fs.Arg(0))
	}
	var in []byte
	if *origin != "" {
		hello, _ := json.Marshal(map[string]string{"origin": *origin})
		in = append(binary.NativeEndian.AppendUint32(nil, uint32(len(hello))), hello...)
	}
	var times []time.Duration
	var first string
	for range runs {
		d, msg, err := once(fs.Args()[1:], in, *origin != "")
		if err != nil {
			return err
		}
		times = append(times, d)
		first = msg
	}
	slices.Sort(times)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	fmt.Printf("median %.1f ms, fastest %.1f ms, slowest %.1f ms over %d runs; first message %s\n",
		ms(times[len(times)/2]), ms(times[0]), ms(times[len(times)-1]), runs, first)
	return nil
}

// once runs the command one time; it returns the time to its first byte
// and its first message.
func once(argv []string, in []byte, framed bool) (time.Duration, string, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return 0, "", err
	}
	defer inW.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		return 0, "", err
	}
	defer outR.Close()
	if _, err := inW.Write(in); err != nil { // fits the pipe's buffer
		return 0, "", err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, io.Discard
	start := time.Now()
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		return 0, "", err
	}
	r := bufio.NewReader(outR)
	_, err = r.Peek(1)
	d := time.Since(start)
	inW.Close()
	var msg string
	if err == nil {
		msg, err = firstMessage(r, framed)
	}
	werr := wait(cmd)
	if err != nil {
		return 0, "", fmt.Errorf("%s: no answer: %v (%v)", strings.Join(argv, " "), err, werr)
	}
	return d, msg, nil
}

// firstMessage reads the first frame, or the first line.
func firstMessage(r *bufio.Reader, framed bool) (string, error) {
	if !framed {
		line, err := r.ReadString('\n')
		if errors.Is(err, io.EOF) && line != "" {
			err = nil
		}
		return strings.TrimSpace(line), err
	}
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return "", err
	}
	n := binary.NativeEndian.Uint32(hdr[:])
	if n > 1<<20 {
		return "", fmt.Errorf("a %d-byte frame", n)
	}
	msg := make([]byte, n)
	_, err := io.ReadFull(r, msg)
	return string(msg), err
}

// wait lets the command end, and ends it after 5 s.
func wait(cmd *exec.Cmd) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
		return errors.New("it did not end within 5 s of its stdin closing")
	}
}
