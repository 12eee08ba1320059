package validate_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

const minimalDocument = `{
  "openrpc": "1.3.2",
  "info": {"title": "Demo", "version": "1.0.0"},
  "methods": [
    {"name": "ping", "params": [], "result": {"name": "pong", "schema": {"type": "string"}}}
  ]
}`

func TestOpenRPCDocumentAcceptsMinimal(t *testing.T) {
	if err := validate.OpenRPCDocument([]byte(minimalDocument)); err != nil {
		t.Fatal(err)
	}
}

func TestOpenRPCDocumentRejectsMissingInfo(t *testing.T) {
	err := validate.OpenRPCDocument([]byte(`{"openrpc": "1.3.2", "methods": []}`))
	var verr *validate.Error
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want *validate.Error", err)
	}
	want := []validate.Violation{{Pointer: "/info", Keyword: "required", Message: `missing required property "info"`}}
	if !reflect.DeepEqual(verr.Violations, want) {
		t.Errorf("got %+v, want %+v", verr.Violations, want)
	}
}

func TestOpenRPCDocumentPointsIntoMethods(t *testing.T) {
	doc := `{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"},
		"methods": [{"name": "ok", "params": []}, {"name": "broken"}]}`
	err := validate.OpenRPCDocument([]byte(doc))
	var verr *validate.Error
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want *validate.Error", err)
	}
	want := []validate.Violation{{Pointer: "/methods/1/params", Keyword: "required", Message: `missing required property "params"`}}
	if !reflect.DeepEqual(verr.Violations, want) {
		t.Errorf("got %+v, want %+v", verr.Violations, want)
	}
}

func TestOpenRPCDocumentNotJSON(t *testing.T) {
	err := validate.OpenRPCDocument([]byte(`{`))
	var verr *validate.Error
	if err == nil || errors.As(err, &verr) {
		t.Errorf("got %v, want a plain error", err)
	}
}

func TestMetaSchemaVersions(t *testing.T) {
	doc14 := []byte(`{"openrpc": "1.4.0", "info": {"title": "t", "version": "1"}, "methods": []}`)
	doc132 := []byte(`{"openrpc": "1.3.2", "info": {"title": "t", "version": "1"}, "methods": []}`)

	v14, err := validate.MetaSchema("1.4.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := v14.ValidateJSON(doc14); err != nil {
		t.Errorf("1.4 meta-schema rejects a 1.4 document: %v", err)
	}
	if err := v14.ValidateJSON(doc132); err == nil {
		t.Error("1.4 meta-schema accepts openrpc 1.3.2")
	}
	if err := validate.OpenRPCDocument(doc14); err == nil {
		t.Error("1.3.2 meta-schema accepts openrpc 1.4.0")
	}

	for _, version := range []string{"1.0.0-rc0", "1.0.0", "1.2.6", "1.3.0", "1.3.2", "1.4.0", "1.4.12"} {
		v, err := validate.MetaSchema(version)
		if err != nil {
			t.Errorf("MetaSchema(%q): %v", version, err)
			continue
		}
		wantSame := version >= "1.4"
		if same := v == v14; same != wantSame {
			t.Errorf("MetaSchema(%q) is the 1.4 meta-schema: %v, want %v", version, same, wantSame)
		}
	}
	for _, version := range []string{"", "2.0.0", "1.5.0", "0.9", "latest"} {
		if _, err := validate.MetaSchema(version); err == nil {
			t.Errorf("MetaSchema(%q) succeeded", version)
		}
	}
}

type Address struct {
	Street string `json:"street" jsonschema:"minLength=1"`
	City   string `json:"city"`
}

type Person struct {
	Name    string    `json:"name" jsonschema:"minLength=1,maxLength=64"`
	Email   string    `json:"email" jsonschema:"format=email"`
	Home    *Address  `json:"home,omitempty"`
	Friends []*Person `json:"friends,omitempty"`
}

type CreateParams struct {
	Person Person `json:"person" jsonschema:"description=The person to create"`
	Notify bool   `json:"notify,omitempty"`
}

// TestReflectedDocumentIsValid builds a document with package schema and
// checks it against the meta-schema, and that its params schema validates
// params with the document's components.
func TestReflectedDocumentIsValid(t *testing.T) {
	r := schema.NewReflector()
	params, err := r.Params(reflect.TypeFor[CreateParams]())
	if err != nil {
		t.Fatal(err)
	}
	result, err := r.Schema(reflect.TypeFor[Person]())
	if err != nil {
		t.Fatal(err)
	}
	doc := &schema.Document{
		OpenRPC: schema.Version,
		Info:    schema.Info{Title: "People <API>", Version: "1.0.0", License: &schema.License{Name: "MIT"}},
		Servers: []schema.Server{{Name: "local", URL: "http://localhost:8080/rpc"}},
		Methods: []*schema.Method{
			{
				Name:           "people.create",
				Summary:        "Create a person",
				Tags:           []schema.Tag{{Name: "people"}},
				ParamStructure: schema.ParamStructureByName,
				Params:         params,
				Result:         &schema.ContentDescriptor{Name: "person", Schema: result},
				Errors:         []*schema.ErrorObject{{Code: 1001, Message: "exists"}},
				Examples: []*schema.ExamplePairing{{
					Name:   "basic",
					Params: []*schema.Example{{Name: "person", Value: map[string]any{"name": "Ann", "email": "ann@example.com"}}},
					Result: &schema.Example{Name: "person", Value: nil},
				}},
				Extensions: map[string]any{"x-idempotent": false},
			},
			{Name: "people.count", Result: &schema.ContentDescriptor{Name: "n", Schema: mustSchema(t, r, reflect.TypeFor[int]())}},
		},
		Components: r.Components(),
	}
	b, err := schema.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.OpenRPCDocument(b); err != nil {
		t.Fatalf("reflected document is invalid: %v\n%s", err, b)
	}

	// The params schema, compiled with the components, validates params.
	ps, err := schema.Marshal(&schema.Document{}) // warm-up: Marshal of an empty document must work
	if err != nil || len(ps) == 0 {
		t.Fatalf("Marshal(empty) = %q, %v", ps, err)
	}
	paramsJSON, err := jsonOf(schema.ParamsSchema(params))
	if err != nil {
		t.Fatal(err)
	}
	compsJSON, err := jsonOf(doc.Components.Schemas)
	if err != nil {
		t.Fatal(err)
	}
	v, err := validate.Compile(paramsJSON, validate.WithComponents(compsJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateJSON([]byte(`{"person": {"name": "Ann", "email": "ann@example.com", "friends": [{"name": "Bob", "email": "bob@example.com"}]}}`)); err != nil {
		t.Errorf("valid params rejected: %v", err)
	}
	err = v.ValidateJSON([]byte(`{"person": {"name": "", "email": "ann", "friends": [{"name": "Bob"}]}, "extra": 1}`))
	var verr *validate.Error
	if !errors.As(err, &verr) {
		t.Fatalf("got %v, want *validate.Error", err)
	}
	want := []validate.Violation{
		{Pointer: "/extra", Keyword: "additionalProperties", Message: `property "extra" is not allowed`},
		{Pointer: "/person/email", Keyword: "format", Message: `expected a valid email, got "ann"`},
		{Pointer: "/person/friends/0/email", Keyword: "required", Message: `missing required property "email"`},
		{Pointer: "/person/name", Keyword: "minLength", Message: "expected at least 1 character, got 0"},
	}
	if !reflect.DeepEqual(verr.Violations, want) {
		t.Errorf("got  %+v\nwant %+v", verr.Violations, want)
	}
}
