package validate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// interlinked returns n components that refer to one another at random,
// as one strongly connected graph: each is an object with three members
// {"anyOf": [{"$ref": other}, {"type": "null"}]} and one array of
// another, and n schemas referring to one component each, as the params
// and results of a large OpenRPC document do.
func interlinked(n int) (comps []byte, schemas [][]byte) {
	r := rand.New(rand.NewPCG(1, 2))
	other := func(i int) int {
		j := r.IntN(n - 1)
		if j >= i {
			j++
		}
		return j
	}
	ref := func(i int) string { return fmt.Sprintf(`{"$ref": "#/components/schemas/C%d"}`, i) }
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"C%d": {"type": "object", "properties": {`, i)
		for p := range 3 {
			fmt.Fprintf(&b, `"f%d": {"anyOf": [%s, {"type": "null"}]},`, p, ref(other(i)))
		}
		fmt.Fprintf(&b, `"list": {"type": "array", "items": %s}}}`, ref(other(i)))
	}
	b.WriteString("}")
	for range 2 * n {
		schemas = append(schemas, []byte(ref(r.IntN(n))))
	}
	return []byte(b.String()), schemas
}

// The cost model of schemas compiled together is worked out once for all
// of them: on 400 interlinked components and 800 schemas referring to
// them (a 350 KB document), the model took 0.5 s per schema, 7 minutes in
// all, and refused values a few levels deep as too complex (its states
// merged into one holding every component). Now its work is linear in the
// graph, and deep values are checked.
func TestCostModelIsSharedAcrossSchemas(t *testing.T) {
	comps, schemas := interlinked(400)
	start := time.Now()
	vs, errs := CompileEach(schemas, WithComponents(comps))
	if d := time.Since(start); d > time.Minute {
		t.Errorf("CompileEach took %v", d)
	}
	var roots []*jsonschema.Schema
	for i, err := range errs {
		if err != nil {
			t.Fatalf("schema %d: %v", i, err)
		}
		roots = append(roots, vs[i].schema)
		if !costFree(vs[i].cost) {
			t.Errorf("schema %d: bound %v, stable %v: want within StepsPerValue at every depth", i, vs[i].cost.perValue, vs[i].cost.stable)
		}
	}
	// States: a few per component and member (45,000 visits here); each is
	// expanded once over 6 kinds of value.
	_, work := costModels(roots)
	if limit := 200 * 400; work > limit {
		t.Errorf("cost analysis: %d closure visits, want at most %d (linear in the graph)", work, limit)
	}
	deep := strings.Repeat(`{"f0": null, "list": [`, 200) + `]}` + strings.Repeat(`]}`, 199)
	if err := vs[0].ValidateJSON([]byte(deep)); err != nil && strings.Contains(err.Error(), "too complex") {
		t.Errorf("deep value: %v", err)
	}
}
