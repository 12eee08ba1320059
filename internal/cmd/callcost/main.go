// Command callcost runs one operation of the realistic-params workloads a
// given number of times, and nothing else, so that an instruction counter
// (valgrind's cachegrind) can tell its cost per call apart from the
// program's start: count two runs of different lengths and divide the
// difference. Instruction counts do not move with the machine's load, as
// times do on a shared machine. scripts/validation-share.sh drives it.
//
//	callcost -workload order -op validated -n 1000
//
// Operations: validated and unvalidated (a call through Server.Handle with
// validation on and off), decode (the server's params decoding alone),
// checked (its decoding that validates in the same pass) and validator
// (the validator alone). With -time it prints the wall time per call
// instead, for timing runs alternated by hand.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/internal/realistic"
	"github.com/schemarpc/schemarpc/server"
)

func main() {
	workload := flag.String("workload", "order", "flat, order or large_order")
	op := flag.String("op", "validated", "validated, unvalidated, decode, checked or validator")
	n := flag.Int("n", 1000, "how many times to run it")
	report := flag.Bool("time", false, "print the wall time per call, in ns")
	flag.Parse()
	var run func() error
	var err error
	switch *workload {
	case "flat":
		run, err = operation[realistic.Flat](*op, realistic.FlatJSON())
	case "order":
		run, err = operation[realistic.Order](*op, realistic.OrderJSON(20))
	case "large_order":
		run, err = operation[realistic.Order](*op, realistic.OrderJSON(500))
	default:
		err = fmt.Errorf("unknown workload %q", *workload)
	}
	if err == nil {
		err = run() // once before counting: every lazy set-up is done
	}
	start := time.Now()
	for i := 0; err == nil && i < *n; i++ {
		err = run()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "callcost:", err)
		os.Exit(1)
	}
	if *report {
		fmt.Println(time.Since(start).Nanoseconds() / int64(max(*n, 1)))
	}
}

// operation returns op on params of type T, checked to succeed.
func operation[T any](op, params string) (func() error, error) {
	ctx := context.Background()
	data := []byte(params)
	switch op {
	case "validated", "unvalidated":
		s := server.New(server.WithValidation(op == "validated"))
		if err := s.Add(server.Func("m", func(_ context.Context, _ T) (int, error) { return 1, nil })); err != nil {
			return nil, err
		}
		payload := []byte(`{"jsonrpc":"2.0","method":"m","params":` + params + `,"id":1}`)
		return func() error {
			if out := s.Handle(ctx, payload); !strings.Contains(string(out), `"result":1`) {
				return fmt.Errorf("unexpected answer %.200s", out)
			}
			return nil
		}, nil
	case "decode":
		d := fastdecode.For[T]()
		return func() error {
			var p T
			if !d.Decode(data, &p) {
				return fmt.Errorf("the decoder gave up")
			}
			return nil
		}, nil
	}
	v, err := realistic.Validator(reflect.TypeFor[T]())
	if err != nil {
		return nil, err
	}
	switch op {
	case "checked":
		s := fastdecode.SchemaOf(v)
		if s == nil {
			return nil, fmt.Errorf("the validator has no fast path")
		}
		cd := fastdecode.For[T]().Checked(s)
		return func() error {
			var p T
			if !cd.Decode(data, &p) {
				return fmt.Errorf("the checking decoder left the params undecided")
			}
			return nil
		}, nil
	case "validator":
		return func() error { return v.ValidateCheckedJSON(data) }, nil
	}
	return nil, fmt.Errorf("unknown operation %q", op)
}
