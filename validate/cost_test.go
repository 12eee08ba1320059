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
	wide := `{"kids": [` + strings.TrimSuffix(strings.Repeat(`{"v": 1},`, 100000), ",") + `]}`
	if err := v.ValidateJSON([]byte(wide)); err != nil {
		t.Errorf("wide tree: %v", err)
	}
}
