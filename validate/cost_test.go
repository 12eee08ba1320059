package validate_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/validate"
)

// chain returns components S0..S(n-1) where Si is
// {"anyOf": [{"$ref": S(i+1)}, {"$ref": S(i+1)}, {"type": "null"}]} and the
// last is a string: checking a value against S0 may take 2^n evaluations.
func chain(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		fmt.Fprintf(&b, `"S%d": {"anyOf": [{"$ref": "#/components/schemas/S%d"}, {"$ref": "#/components/schemas/S%d"}, {"type": "null"}]},`, i, i+1, i+1)
	}
	fmt.Fprintf(&b, `"S%d": {"type": "string"}}`, n)
	return b.String()
}

// An anyOf chain 18 deep took 10 s and 1.1 GB to check one example; 40
// deep did not finish. Now the check is refused, at once, with
// ErrTooComplex, at every depth past the bound, and shallow chains are
// still checked.
func TestExponentialAnyOfIsBounded(t *testing.T) {
	for _, n := range []int{18, 40, 200} {
		start := time.Now()
		v := mustCompile(t, `{"$ref": "#/components/schemas/S0"}`, validate.WithComponents([]byte(chain(n))))
		err := v.ValidateJSON([]byte(`42`))
		if !errors.Is(err, validate.ErrTooComplex) {
			t.Errorf("depth %d: got %v, want ErrTooComplex", n, err)
		}
		if err := v.Validate(42); !errors.Is(err, validate.ErrTooComplex) {
			t.Errorf("depth %d: Validate: got %v, want ErrTooComplex", n, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("depth %d: took %v", n, d)
		}
	}
	v := mustCompile(t, `{"$ref": "#/components/schemas/S0"}`, validate.WithComponents([]byte(chain(8))))
	if err := v.ValidateJSON([]byte(`"x"`)); err != nil {
		t.Errorf("shallow chain, valid value: %v", err)
	}
	if vs := violations(t, v, `42`); len(vs) == 0 {
		t.Error("shallow chain, invalid value: no violations")
	}
}

// A recursive schema whose branches both descend makes the work grow
// exponentially with the depth of the value: deep values are refused,
// shallow ones checked.
func TestRecursiveBranchingIsBounded(t *testing.T) {
	v := mustCompile(t, `{"$ref": "#/components/schemas/T"}`, validate.WithComponents([]byte(`{
		"T": {"anyOf": [
			{"type": "object", "properties": {"a": {"$ref": "#/components/schemas/T"}}, "required": ["x"]},
			{"type": "object", "properties": {"a": {"$ref": "#/components/schemas/T"}}, "required": ["y"]}
		]}}`)))
	nest := func(n int) string { return strings.Repeat(`{"a":`, n) + `{}` + strings.Repeat(`}`, n) }
	if vs := violations(t, v, nest(3)); len(vs) == 0 {
		t.Error("shallow value: no violations")
	}
	start := time.Now()
	if err := v.ValidateJSON([]byte(nest(60))); !errors.Is(err, validate.ErrTooComplex) {
		t.Errorf("deep value: got %v, want ErrTooComplex", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("deep value took %v", d)
	}
}

// Ordinary schemas are never refused, however large the value: their
// bound per value does not grow with depth, so only the byte count is
// looked at.
func TestOrdinarySchemasAreNotTooComplex(t *testing.T) {
	v := mustCompile(t, `{"$ref": "#/components/schemas/Node"}`, validate.WithComponents([]byte(`{
		"Node": {"type": "object", "properties": {"v": {"type": ["integer", "null"]}, "kids": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}}`)))
	doc := strings.Repeat(`{"v": 1, "kids": [`, 500) + `{}` + strings.Repeat(`]}`, 500)
	if err := v.ValidateJSON([]byte(doc)); err != nil {
		t.Errorf("deep tree: %v", err)
	}
	wide := `{"kids": [` + strings.TrimSuffix(strings.Repeat(`{"v": 1},`, 20000), ",") + `]}`
	if err := v.ValidateJSON([]byte(wide)); err != nil {
		t.Errorf("wide tree: %v", err)
	}
}

// openRPCWith returns an OpenRPC document whose one param has schema.
func openRPCWith(schema string) []byte {
	return []byte(`{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"}, "methods": [{"name": "m", "params": [{"name": "p", "schema": ` + schema + `}]}]}`)
}

// The meta-schema check of a schema nested 1,000 levels deep takes well
// under 2 s (with jsonschema v5, 500 levels took 8 s and 1,000 levels
// 54 s), every shape up to MaxDepth is checked in bounded time, and deeper
// documents are refused at once with ErrTooComplex.
func TestDeepDocuments(t *testing.T) {
	timed := func(doc []byte, limit time.Duration) error {
		start := time.Now()
		err := validate.OpenRPCDocument(doc)
		if d := time.Since(start); d > limit {
			t.Errorf("%.60s...: %v, want < %v", doc[90:], d, limit)
		}
		return err
	}
	for _, leaf := range []string{`{"type": "string"}`, `{"type": 5}`} {
		err := timed(openRPCWith(strings.Repeat(`{"type": "object", "properties": {"a": `, 1000)+leaf+strings.Repeat(`}}`, 1000)), 2*time.Second)
		if (err == nil) == (leaf == `{"type": 5}`) || errors.Is(err, validate.ErrTooComplex) {
			t.Errorf("1,000 levels, leaf %s: %v", leaf, err)
		}
	}
	shapes := []struct {
		open, close string
		depth       int // levels of JSON per level of schema
	}{
		{`{"type": "object", "properties": {"a": `, `}}`, 2},
		{`{"type": "array", "items": `, `}`, 1},
		{`{"anyOf": [`, `]}`, 2},
		{`{"not": `, `}`, 1},
	}
	for _, sh := range shapes {
		levels := (validate.MaxDepth - 8) / sh.depth // the document around the schema takes 6
		for _, leaf := range []string{`{"type": "string"}`, `{"type": 5}`} {
			// Reporting a failure this deep is quadratic in the depth
			// (the validator copies each error's location): about 1 s
			// at MaxDepth, several under the race detector.
			err := timed(openRPCWith(strings.Repeat(sh.open, levels)+leaf+strings.Repeat(sh.close, levels)), 10*time.Second)
			if errors.Is(err, validate.ErrTooComplex) || (leaf == `{"type": 5}`) == (err == nil) {
				t.Errorf("%s...%s: %v", sh.open, leaf, err)
			}
		}
	}
	for _, n := range []int{validate.MaxDepth, 10_000, 100_000} {
		err := timed(openRPCWith(strings.Repeat(`{"not": `, n)+`true`+strings.Repeat(`}`, n)), time.Second)
		if !errors.Is(err, validate.ErrTooComplex) || !strings.Contains(err.Error(), "levels deep") {
			t.Errorf("%d levels: got %v, want ErrTooComplex", n, err)
		}
	}
}
