package server_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/internal/realistic"
	"github.com/schemarpc/schemarpc/server"
	"github.com/schemarpc/schemarpc/validate"
)

// Realistic params: the workloads of issue 14. Each is a Go params struct
// registered with server.Func and called through Server.Handle in process,
// with validation on and off, next to json.Unmarshal of the same params into
// the same struct (the work validation is compared with).

// realisticWorkload is one workload of the benchmarks.
type realisticWorkload struct {
	name   string
	method string
	params string
	add    func(*server.Server)
	decode func([]byte) error
	fast   func([]byte) bool // the server's own decoding of the params
	typ    reflect.Type
	// checked is the server's decoding of the params when it validates
	// them in the same pass.
	checked func(*validate.Validator) func([]byte) bool
}

func realisticWorkloads() []realisticWorkload {
	return []realisticWorkload{
		{"flat", "flat", realistic.FlatJSON(), func(s *server.Server) {
			s.MustAdd(server.Func("flat", func(_ context.Context, p realistic.Flat) (int, error) { return p.Age, nil }))
		}, func(b []byte) error { var p realistic.Flat; return json.Unmarshal(b, &p) }, fastDecode[realistic.Flat], reflect.TypeFor[realistic.Flat](), checkedDecode[realistic.Flat]},
		{"order", "order", realistic.OrderJSON(20), addOrder, decodeOrder, fastDecode[realistic.Order], reflect.TypeFor[realistic.Order](), checkedDecode[realistic.Order]},
		{"large_order", "order", realistic.OrderJSON(500), addOrder, decodeOrder, fastDecode[realistic.Order], reflect.TypeFor[realistic.Order](), checkedDecode[realistic.Order]},
	}
}

func addOrder(s *server.Server) {
	s.MustAdd(server.Func("order", func(_ context.Context, p realistic.Order) (int, error) { return len(p.Items), nil }))
}

// fastDecode decodes params as the server does with the default codec.
func fastDecode[T any](b []byte) bool {
	var p T
	return fastdecode.For[T]().Decode(b, &p)
}

// checkedDecode decodes and validates params in one pass, as the server
// does with the default codec.
func checkedDecode[T any](v *validate.Validator) func([]byte) bool {
	cd := fastdecode.For[T]().Checked(fastdecode.SchemaOf(v))
	return func(b []byte) bool {
		var p T
		return cd.Decode(b, &p)
	}
}

func decodeOrder(b []byte) error {
	var p realistic.Order
	return json.Unmarshal(b, &p)
}

func (w realisticWorkload) server(opts ...server.Option) *server.Server {
	s := server.New(opts...)
	w.add(s)
	return s
}

func (w realisticWorkload) payload() []byte {
	return []byte(`{"jsonrpc":"2.0","method":"` + w.method + `","params":` + w.params + `,"id":1}`)
}

// validator compiles the workload's params schema as the server does.
func (w realisticWorkload) validator(tb testing.TB) *validate.Validator {
	tb.Helper()
	v, err := realistic.Validator(w.typ)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (w realisticWorkload) schema(tb testing.TB) (params, components []byte) {
	tb.Helper()
	params, components, err := realistic.ParamsSchema(w.typ)
	if err != nil {
		tb.Fatal(err)
	}
	return params, components
}

// reportCPU starts measuring the process's CPU time; the function it
// returns reports it per operation as "cpu-ns/op". Call it after setup, as
// defer reportCPU(b)() right before the b.Loop loop.
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		if end := processCPU(); start >= 0 && end >= 0 && b.N > 0 {
			b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

// BenchmarkRealisticParams measures each workload through Server.Handle with
// validation on and off, and on its own: the validator alone (what
// `schemarpc validate` and Raw methods pay), the server's decoding alone
// (fastdecode), the server's decoding that validates in the same pass
// (checked: what a validated call pays; the difference with fastdecode is
// the cost of validation), and json.Unmarshal of the params into the
// params struct. Compare them within one run; on a loaded machine compare
// cpu-ns/op (the process's CPU time per operation), which does not count
// the time other processes run. For figures that do not move with the
// load, count instructions: scripts/validation-share.sh.
func BenchmarkRealisticParams(b *testing.B) {
	ctx := context.Background()
	for _, w := range realisticWorkloads() {
		p := w.payload()
		for _, v := range []struct {
			name string
			on   bool
		}{{"validated", true}, {"unvalidated", false}} {
			b.Run(w.name+"/"+v.name, func(b *testing.B) {
				s := w.server(server.WithValidation(v.on))
				if out := s.Handle(ctx, p); !strings.Contains(string(out), `"result"`) {
					b.Fatalf("bad answer: %.300s", out)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(w.params)))
				defer reportCPU(b)()
				for b.Loop() {
					s.Handle(ctx, p)
				}
			})
		}
		b.Run(w.name+"/validator", func(b *testing.B) {
			v := w.validator(b)
			params := []byte(w.params)
			b.ReportAllocs()
			b.SetBytes(int64(len(params)))
			defer reportCPU(b)()
			for b.Loop() {
				if err := v.ValidateCheckedJSON(params); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(w.name+"/fastdecode", func(b *testing.B) {
			params := []byte(w.params)
			if !w.fast(params) {
				b.Fatal("the server's decoder gave up on the params")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(params)))
			defer reportCPU(b)()
			for b.Loop() {
				w.fast(params)
			}
		})
		b.Run(w.name+"/checked", func(b *testing.B) {
			params := []byte(w.params)
			decode := w.checked(w.validator(b))
			if !decode(params) {
				b.Fatal("the server's checking decoder left the params undecided")
			}
			b.ReportAllocs()
			b.SetBytes(int64(len(params)))
			defer reportCPU(b)()
			for b.Loop() {
				decode(params)
			}
		})
		b.Run(w.name+"/unmarshal", func(b *testing.B) {
			params := []byte(w.params)
			b.ReportAllocs()
			b.SetBytes(int64(len(params)))
			defer reportCPU(b)()
			for b.Loop() {
				if err := w.decode(params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestRealisticParams_valid checks that the benchmarks' params are valid, so
// that they measure the accepting path, and that breaking one constraint
// deep inside each is still caught.
func TestRealisticParams_valid(t *testing.T) {
	ctx := context.Background()
	for _, w := range realisticWorkloads() {
		s := w.server()
		raw, comps := w.schema(t)
		t.Logf("%s: %d bytes of params; schema %s; components %s", w.name, len(w.params), raw, comps)
		if out := s.Handle(ctx, w.payload()); !strings.Contains(string(out), `"result"`) {
			t.Fatalf("%s: %.300s", w.name, out)
		}
		if !w.checked(w.validator(t))([]byte(w.params)) {
			t.Errorf("%s: the server does not validate these params while decoding them", w.name)
		}
		bad := w
		var want string
		switch w.method {
		case "flat":
			bad.params = strings.Replace(w.params, "example.com", "example com", 1)
			want = `"pointer":"/email","keyword":"format"`
		default:
			bad.params = strings.Replace(w.params, `"ABC-0003"`, `"abc-0003"`, 1)
			want = `"pointer":"/items/3/sku","keyword":"pattern"`
		}
		// The general validator words the failure.
		if out := s.Handle(ctx, bad.payload()); !strings.Contains(string(out), `-32602`) || !strings.Contains(string(out), want) {
			t.Errorf("%s: broken params: got %.300s, want a -32602 with %s", w.name, out, want)
		}
	}
}

// TestRealisticParams_allocs holds validation of the realistic workloads
// to at most 2 allocations, alone and as part of a call through
// Server.Handle (where it is measured as the difference with validation
// off).
func TestRealisticParams_allocs(t *testing.T) {
	ctx := context.Background()
	for _, w := range realisticWorkloads() {
		v := w.validator(t)
		params := []byte(w.params)
		if a := testing.AllocsPerRun(50, func() {
			if err := v.ValidateCheckedJSON(params); err != nil {
				t.Fatal(err)
			}
		}); a > 2 {
			t.Errorf("%s: validation makes %.0f allocations", w.name, a)
		}
		if raceEnabled {
			continue // sync.Pool drops items at random under the race detector
		}
		p := w.payload()
		on, off := w.server(), w.server(server.WithValidation(false))
		aOn := testing.AllocsPerRun(50, func() { on.Handle(ctx, p) })
		aOff := testing.AllocsPerRun(50, func() { off.Handle(ctx, p) })
		if aOn > aOff+2 {
			t.Errorf("%s: a validated call makes %.0f allocations, an unvalidated one %.0f", w.name, aOn, aOff)
		}
	}
}
