package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/fastdecode"
	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/server"
	"github.com/schemarpc/schemarpc/validate"
)

// Realistic params: the workloads of issue 14. Each is a Go params struct
// registered with server.Func and called through Server.Handle in process,
// with validation on and off, next to json.Unmarshal of the same params into
// the same struct (the work validation is compared with).

// flatParams is four scalars with simple constraints.
type flatParams struct {
	Name  string  `json:"name" jsonschema:"minLength=1"`
	Email string  `json:"email" jsonschema:"format=email"`
	Age   int     `json:"age" jsonschema:"minimum=0"`
	Score float64 `json:"score" jsonschema:"minimum=0"`
}

// benchAddress is a postal address.
type benchAddress struct {
	Street   string `json:"street" jsonschema:"minLength=1"`
	City     string `json:"city" jsonschema:"minLength=1"`
	Postcode string `json:"postcode" jsonschema:"minLength=3,maxLength=10,pattern=^[0-9A-Z -]+$"`
	Country  string `json:"country" jsonschema:"pattern=^[A-Z]{2}$"`
}

// benchCustomer is who orders.
type benchCustomer struct {
	ID      string       `json:"id" jsonschema:"format=uuid"`
	Name    string       `json:"name" jsonschema:"minLength=1,maxLength=100"`
	Email   string       `json:"email" jsonschema:"format=email"`
	Phone   *string      `json:"phone,omitempty"`
	Address benchAddress `json:"address"`
}

// benchLineItem is one line of an order.
type benchLineItem struct {
	SKU   string  `json:"sku" jsonschema:"pattern=^[A-Z]{3}-[0-9]{4}$"`
	Qty   int     `json:"qty" jsonschema:"minimum=1"`
	Price float64 `json:"price" jsonschema:"minimum=0"`
}

// orderParams is an order: nested named structs (reflected as references),
// a slice of structs, a map and an enum.
type orderParams struct {
	Customer benchCustomer     `json:"customer"`
	Shipping *benchAddress     `json:"shipping"`
	Items    []benchLineItem   `json:"items" jsonschema:"minItems=1"`
	Tags     map[string]string `json:"tags"`
	Status   string            `json:"status" jsonschema:"enum=pending,enum=paid,enum=shipped"`
	Created  string            `json:"created" jsonschema:"format=date-time"`
}

func flatJSON() string {
	return `{"name":"Ada Lovelace","email":"ada@example.com","age":36,"score":99.5}`
}

func orderJSON(items int) string {
	var b strings.Builder
	b.WriteString(`{"customer":{"id":"3b241101-e2bb-4255-8caf-4136c566a962","name":"Ada Lovelace","email":"ada@example.com","phone":"+44 20 7946 0000",` +
		`"address":{"street":"12 St James's Square","city":"London","postcode":"SW1Y 4LB","country":"GB"}},` +
		`"shipping":{"street":"1 Infinite Loop","city":"Cupertino","postcode":"95014","country":"US"},"items":[`)
	for i := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"sku":"ABC-%04d","qty":%d,"price":%d.%02d}`, i%10000, 1+i%7, 3+i%50, i%100)
	}
	b.WriteString(`],"tags":{"channel":"web","campaign":"winter-sale","priority":"normal"},"status":"paid","created":"2026-11-30T20:38:19Z"}`)
	return b.String()
}

// realisticWorkload is one workload of the benchmarks.
type realisticWorkload struct {
	name   string
	method string
	params string
	add    func(*server.Server)
	decode func([]byte) error
	fast   func([]byte) bool // the server's own decoding of the params
	typ    reflect.Type
}

func realisticWorkloads() []realisticWorkload {
	return []realisticWorkload{
		{"flat", "flat", flatJSON(), func(s *server.Server) {
			s.MustAdd(server.Func("flat", func(_ context.Context, p flatParams) (int, error) { return p.Age, nil }))
		}, func(b []byte) error { var p flatParams; return json.Unmarshal(b, &p) }, fastDecode[flatParams], reflect.TypeFor[flatParams]()},
		{"order", "order", orderJSON(20), addOrder, decodeOrder, fastDecode[orderParams], reflect.TypeFor[orderParams]()},
		{"large_order", "order", orderJSON(500), addOrder, decodeOrder, fastDecode[orderParams], reflect.TypeFor[orderParams]()},
	}
}

func addOrder(s *server.Server) {
	s.MustAdd(server.Func("order", func(_ context.Context, p orderParams) (int, error) { return len(p.Items), nil }))
}

// fastDecode decodes params as the server does with the default codec.
func fastDecode[T any](b []byte) bool {
	var p T
	return fastdecode.For[T]().Decode(b, &p)
}

func decodeOrder(b []byte) error {
	var p orderParams
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

// validator compiles the workload's params schema as the server does:
// reflected by a schema.Reflector, with its components.
func (w realisticWorkload) validator(tb testing.TB) *validate.Validator {
	tb.Helper()
	raw, comps := w.schema(tb)
	v, err := validate.Compile(raw, validate.WithComponents(comps))
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func (w realisticWorkload) schema(tb testing.TB) (params, components []byte) {
	tb.Helper()
	r := schema.NewReflector()
	cds, err := r.Params(w.typ)
	if err != nil {
		tb.Fatal(err)
	}
	ps := make([]validate.Param, len(cds))
	for i, cd := range cds {
		ps[i] = validate.Param{Name: cd.Name, Required: cd.Required, Schema: cd.Schema}
	}
	if params, err = json.Marshal(validate.ParamsSchema(validate.Named, ps)); err != nil {
		tb.Fatal(err)
	}
	if c := r.Components(); c != nil {
		if components, err = json.Marshal(c.Schemas); err != nil {
			tb.Fatal(err)
		}
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
// validation on and off, and json.Unmarshal of its params into the params
// struct. Compare them within one run; on a loaded machine compare
// cpu-ns/op (the process's CPU time per operation), which does not count
// the time other processes run.
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
