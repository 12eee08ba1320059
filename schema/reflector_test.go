package schema_test

import (
	"encoding/json"
	"maps"
	"net/mail"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/invopop/jsonschema"

	"github.com/schemarpc/schemarpc/schema"
)

type Audit struct {
	CreatedBy string `json:"created_by"`
	Note      string `json:"note,omitempty"`
}

type Address struct {
	Street string `json:"street" jsonschema:"minLength=1"`
	City   string `json:"city"`
}

type SignupParams struct {
	Email    string    `json:"email" jsonschema:"format=email,description=Address to confirm"`
	Username string    `json:"username" jsonschema:"minLength=3,maxLength=20,pattern=^[a-z0-9_]+$"`
	Age      int       `json:"age,omitempty" jsonschema:"minimum=13,maximum=130"`
	Plan     string    `json:"plan" jsonschema:"enum=free,enum=pro"`
	Nickname *string   `json:"nickname"`
	Home     Address   `json:"home"`
	Work     *Address  `json:"work,omitempty"`
	Since    time.Time `json:"since,omitzero"`
	Avatar   []byte    `json:"avatar,omitempty"`
	Extra    any       `json:"extra,omitempty"`
	Secret   string    `json:"-"`
	//lint:ignore U1000 an unexported field is what this type tests: not a param
	internal int
	Audit                   // embedded: flattened in place
	Labels   []string       `json:"labels,omitempty" jsonschema:"maxItems=3"`
	Limits   map[string]int `json:"limits,omitempty"`
}

func reflectParams(t *testing.T, r *schema.Reflector, typ reflect.Type) []*schema.ContentDescriptor {
	t.Helper()
	cds, err := r.Params(typ)
	if err != nil {
		t.Fatal(err)
	}
	return cds
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParamsOrderAndRequired(t *testing.T) {
	cds := reflectParams(t, schema.NewReflector(), reflect.TypeFor[*SignupParams]())
	type nr struct {
		Name     string
		Required bool
	}
	var got []nr
	for _, cd := range cds {
		got = append(got, nr{cd.Name, cd.Required})
	}
	want := []nr{
		{"email", true}, {"username", true}, {"age", false}, {"plan", true},
		{"nickname", false}, {"home", true}, {"work", false}, {"since", false},
		{"avatar", false}, {"extra", false}, {"created_by", true}, {"note", false},
		{"labels", false}, {"limits", false},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestParamsConstraints(t *testing.T) {
	cds := reflectParams(t, schema.NewReflector(), reflect.TypeFor[SignupParams]())
	byName := make(map[string]*schema.ContentDescriptor)
	for _, cd := range cds {
		byName[cd.Name] = cd
	}
	tests := []struct{ name, want string }{
		{"email", `{"type":"string","format":"email","description":"Address to confirm"}`},
		{"username", `{"type":"string","maxLength":20,"minLength":3,"pattern":"^[a-z0-9_]+$"}`},
		{"age", `{"type":"integer","maximum":130,"minimum":13}`},
		{"plan", `{"type":"string","enum":["free","pro"]}`},
		{"home", `{"$ref":"#/components/schemas/Address"}`},
		{"since", `{"type":"string","format":"date-time"}`},
		{"avatar", `{"type":"string","contentEncoding":"base64"}`},
		{"extra", `true`},
		{"labels", `{"items":{"type":"string"},"type":"array","maxItems":3}`},
		{"limits", `{"additionalProperties":{"type":"integer","maximum":9223372036854775807,"minimum":-9223372036854775808},"type":"object"}`},
	}
	for _, tt := range tests {
		if got := toJSON(t, byName[tt.name].Schema); got != tt.want {
			t.Errorf("%s: got  %s\nwant %s", tt.name, got, tt.want)
		}
	}
	if got := byName["email"].Description; got != "Address to confirm" {
		t.Errorf("email description = %q", got)
	}
}

func TestComponentsSharedAcrossCalls(t *testing.T) {
	type Order struct {
		Ship Address `json:"ship"`
		Bill Address `json:"bill"`
	}
	r := schema.NewReflector()
	reflectParams(t, r, reflect.TypeFor[SignupParams]())
	s, err := r.Schema(reflect.TypeFor[Order]())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := toJSON(t, s), `{"$ref":"#/components/schemas/Order"}`; got != want {
		t.Errorf("Schema(Order) = %s, want %s", got, want)
	}
	comps := r.Components()
	if got := slices.Sorted(maps.Keys(comps.Schemas)); !slices.Equal(got, []string{"Address", "Order"}) {
		t.Errorf("components = %v, want [Address Order] (params structs stay out)", got)
	}
	for name, cs := range comps.Schemas {
		if cs.Title != name {
			t.Errorf("component %s has title %q", name, cs.Title)
		}
	}
	want := `{"properties":{"ship":{"$ref":"#/components/schemas/Address"},"bill":{"$ref":"#/components/schemas/Address"}},"additionalProperties":false,"type":"object","required":["ship","bill"],"title":"Order"}`
	if got := toJSON(t, comps.Schemas["Order"]); got != want {
		t.Errorf("Order component:\ngot  %s\nwant %s", got, want)
	}
	all := toJSON(t, comps)
	for _, banned := range []string{"$defs", "$schema", "$id"} {
		if strings.Contains(all, banned) {
			t.Errorf("components contain %s: %s", banned, all)
		}
	}
}

type Category struct {
	Name     string      `json:"name"`
	Parent   *Category   `json:"parent,omitempty"`
	Children []*Category `json:"children"`
}

func TestRecursiveType(t *testing.T) {
	r := schema.NewReflector()
	s, err := r.Schema(reflect.TypeFor[[]Category]())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := toJSON(t, s), `{"items":{"$ref":"#/components/schemas/Category"},"type":"array"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	want := `{"properties":{"name":{"type":"string"},"parent":{"anyOf":[{"$ref":"#/components/schemas/Category"},{"type":"null"}]},"children":{"items":{"$ref":"#/components/schemas/Category"},"type":"array"}},"additionalProperties":false,"type":"object","required":["name","children"],"title":"Category"}`
	if got := toJSON(t, r.Components().Schemas["Category"]); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	// A recursive params struct refers to itself, so it is a component.
	cds := reflectParams(t, r, reflect.TypeFor[Category]())
	if len(cds) != 3 || toJSON(t, cds[1].Schema) != `{"anyOf":[{"$ref":"#/components/schemas/Category"},{"type":"null"}]}` || cds[1].Required {
		t.Errorf("params of recursive type: %s", toJSON(t, cds))
	}
}

// A pointer field may be sent as null: Go encodes a nil pointer so.
func TestPointerFieldsAreNullable(t *testing.T) {
	type Opt struct {
		Name  string  `json:"name"`
		Limit *int    `json:"limit" jsonschema:"minimum=1,description=At most this many"`
		Note  *string `json:"note,omitempty"`
	}
	r := schema.NewReflector()
	cds := reflectParams(t, r, reflect.TypeFor[Opt]())
	if got, want := toJSON(t, cds[1].Schema), `{"anyOf":[{"type":"integer","maximum":9223372036854775807,"minimum":1},{"type":"null"}],"description":"At most this many"}`; got != want {
		t.Errorf("limit: got %s, want %s", got, want)
	}
	if cds[1].Required || cds[2].Required || !cds[0].Required {
		t.Errorf("required: %v %v %v", cds[0].Required, cds[1].Required, cds[2].Required)
	}
	if cds[1].Description != "At most this many" {
		t.Errorf("description %q", cds[1].Description)
	}
}

func TestNameCollision(t *testing.T) {
	type Contacts struct {
		Mine  Address      `json:"mine"`
		Email mail.Address `json:"email"`
	}
	for range 2 { // deterministic: the same calls give the same names
		r := schema.NewReflector()
		if _, err := r.Schema(reflect.TypeFor[Contacts]()); err != nil {
			t.Fatal(err)
		}
		comps := r.Components().Schemas
		if got := slices.Sorted(maps.Keys(comps)); !slices.Equal(got, []string{"Address", "Contacts", "mail.Address"}) {
			t.Fatalf("components = %v", got)
		}
		if _, ok := comps["mail.Address"].Properties.Get("Address"); !ok {
			t.Errorf("mail.Address component is not net/mail.Address: %s", toJSON(t, comps["mail.Address"]))
		}
		if _, ok := comps["Address"].Properties.Get("street"); !ok {
			t.Errorf("Address component is not schema_test.Address: %s", toJSON(t, comps["Address"]))
		}
		if got := toJSON(t, comps["Contacts"].Properties.Value("email")); got != `{"$ref":"#/components/schemas/mail.Address"}` {
			t.Errorf("email refers to %s", got)
		}
	}
}

type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

type Pair[K comparable, V any] struct {
	Key   K `json:"key"`
	Value V `json:"value"`
}

func TestGenericNames(t *testing.T) {
	r := schema.NewReflector()
	for _, typ := range []reflect.Type{
		reflect.TypeFor[Page[Address]](),
		reflect.TypeFor[Page[mail.Address]](),
		reflect.TypeFor[Pair[string, []*Address]](),
	} {
		if _, err := r.Schema(typ); err != nil {
			t.Fatal(err)
		}
	}
	got := slices.Sorted(maps.Keys(r.Components().Schemas))
	want := []string{"Address", "Page_Address", "Pair_string_Address", "mail.Address", "schema_test.Page_Address"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
	valid := regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	for _, name := range got {
		if !valid.MatchString(name) {
			t.Errorf("component name %q does not match %s", name, valid)
		}
	}
}

func TestUnsupportedTypes(t *testing.T) {
	r := schema.NewReflector()
	for _, typ := range []reflect.Type{
		reflect.TypeFor[chan int](),
		reflect.TypeFor[func()](),
		reflect.TypeFor[complex128](),
		reflect.TypeFor[struct {
			C chan int `json:"c"`
		}](),
		reflect.TypeFor[map[string]func()](),
	} {
		if s, err := r.Schema(typ); err == nil {
			t.Errorf("Schema(%s) = %s, want an error", typ, toJSON(t, s))
		}
	}
	// Unexported fields are not part of the JSON form, whatever their type.
	type hidden struct {
		//lint:ignore U1000 an unexported field of a type that has no JSON form is what this tests
		c chan int
		N int `json:"n"`
	}
	if _, err := r.Schema(reflect.TypeFor[hidden]()); err != nil {
		t.Errorf("struct with unexported chan: %v", err)
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[int](), reflect.TypeFor[[]Address](), reflect.TypeFor[time.Time]()} {
		if _, err := r.Params(typ); err == nil {
			t.Errorf("Params(%s) succeeded", typ)
		}
	}
	if _, err := r.Params(reflect.TypeFor[struct {
		F func() `json:"f"`
	}]()); err == nil {
		t.Error("Params of a struct with a func field succeeded")
	}
	if _, err := r.Schema(nil); err == nil {
		t.Error("Schema(nil) succeeded")
	}
}

func TestAnonymousParamsStruct(t *testing.T) {
	r := schema.NewReflector()
	cds := reflectParams(t, r, reflect.TypeFor[struct {
		A string   `json:"a"`
		B *Address `json:"b"`
	}]())
	if len(cds) != 2 || !cds[0].Required || cds[1].Required {
		t.Errorf("got %s", toJSON(t, cds))
	}
	if got := slices.Sorted(maps.Keys(r.Components().Schemas)); !slices.Equal(got, []string{"Address"}) {
		t.Errorf("components = %v", got)
	}
	if r := schema.NewReflector(); r.Components() != nil {
		t.Error("empty Reflector has components")
	}
}

// MapType replaces a type's schema wherever it occurs, for codecs that
// change its wire form.
func TestReflector_MapType(t *testing.T) {
	type Event struct {
		At    time.Time  `json:"at" jsonschema:"description=When"`
		Until *time.Time `json:"until,omitempty"`
	}
	r := schema.NewReflector()
	r.MapType(reflect.TypeFor[time.Time](), &jsonschema.Schema{Type: "integer"})
	cds := reflectParams(t, r, reflect.TypeFor[Event]())
	if got := toJSON(t, cds[0].Schema); !strings.Contains(got, `"type":"integer"`) || strings.Contains(got, "date-time") {
		t.Errorf("at: %s", got)
	}
	if got := toJSON(t, cds[1].Schema); !strings.Contains(got, `"type":"integer"`) || !strings.Contains(got, `"null"`) {
		t.Errorf("until: %s", got)
	}
}
