package fastdecode

import (
	"encoding/json"
	"reflect"
	"testing"
)

// Two fields with one name: encoding/json keeps neither (or the tagged
// one), so the struct is left to it. go vet refuses such a type written
// out, so it is made here.
func TestBuild_fieldsWithOneName(t *testing.T) {
	twins := reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[int](), Tag: `json:"x"`},
		{Name: "B", Type: reflect.TypeFor[int](), Tag: `json:"x"`},
	})
	if n := nodeOf(twins); n.kind != kindDelegate {
		t.Errorf("kind %d, want the struct left to encoding/json", n.kind)
	}
	tagged := reflect.StructOf([]reflect.StructField{
		{Name: "X", Type: reflect.TypeFor[int]()},
		{Name: "Y", Type: reflect.TypeFor[int](), Tag: `json:"X"`},
	})
	if n := nodeOf(tagged); n.kind != kindDelegate {
		t.Errorf("kind %d, want the struct left to encoding/json", n.kind)
	}
}

// Tags that linters refuse on purpose: "-," names a field "-"; a tag
// name with characters encoding/json does not allow leaves the struct to
// encoding/json (which uses the Go name, or the tag when built with
// GOEXPERIMENT=jsonv2). Unexported fields are not decoded.
func TestBuild_namesAsEncodingJSON(t *testing.T) {
	typ := reflect.StructOf([]reflect.StructField{
		{Name: "Dash", Type: reflect.TypeFor[int](), Tag: `json:"-,"`},
		{Name: "Plain", Type: reflect.TypeFor[string]()},
		{Name: "Skip", Type: reflect.TypeFor[int](), Tag: `json:"-"`},
		{Name: "hidden", PkgPath: "fastdecode", Type: reflect.TypeFor[int]()},
	})
	n := nodeOf(typ)
	if n.kind != kindStruct || len(n.fields) != 2 || n.fields[0].name != "-" || n.fields[1].name != "Plain" {
		t.Fatalf("kind %d, fields %+v", n.kind, n.fields)
	}
	data := []byte(`{"-":4,"Plain":"b"}`)
	fast, ref := reflect.New(typ), reflect.New(typ)
	if i, ok := n.decode(data, 0, fast.UnsafePointer(), 0, nil); !ok || i != len(data) {
		t.Fatalf("gave up at %d", i)
	}
	if err := json.Unmarshal(data, ref.Interface()); err != nil || !reflect.DeepEqual(fast.Interface(), ref.Interface()) {
		t.Errorf("fast %+v, encoding/json %+v (%v)", fast.Elem(), ref.Elem(), err)
	}
	for _, bad := range []string{`{"hidden":1}`, `{"Skip":1}`, `{"Dash":1}`} {
		if _, ok := n.decode([]byte(bad), 0, reflect.New(typ).UnsafePointer(), 0, nil); ok {
			t.Errorf("accepted %s", bad)
		}
	}
	odd := reflect.StructOf([]reflect.StructField{
		{Name: "Bad", Type: reflect.TypeFor[string](), Tag: `json:"a\\b"`},
	})
	if n := nodeOf(odd); n.kind != kindDelegate {
		t.Errorf("a struct with a tag name encoding/json does not allow got kind %d", n.kind)
	}
}
