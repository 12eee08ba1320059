// Package realistic holds the params of the realistic-params workloads
// (issue 14): Go params types whose reflected schemas look like real APIs'
// and JSON params for them. The server's benchmarks and the
// instruction-count harness (internal/cmd/callcost) share them.
package realistic

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/schemarpc/schemarpc/schema"
	"github.com/schemarpc/schemarpc/validate"
)

// Flat is four scalars with simple constraints.
type Flat struct {
	Name  string  `json:"name" jsonschema:"minLength=1"`
	Email string  `json:"email" jsonschema:"format=email"`
	Age   int     `json:"age" jsonschema:"minimum=0"`
	Score float64 `json:"score" jsonschema:"minimum=0"`
}

// Address is a postal address.
type Address struct {
	Street   string `json:"street" jsonschema:"minLength=1"`
	City     string `json:"city" jsonschema:"minLength=1"`
	Postcode string `json:"postcode" jsonschema:"minLength=3,maxLength=10,pattern=^[0-9A-Z -]+$"`
	Country  string `json:"country" jsonschema:"pattern=^[A-Z]{2}$"`
}

// Customer is who orders.
type Customer struct {
	ID      string  `json:"id" jsonschema:"format=uuid"`
	Name    string  `json:"name" jsonschema:"minLength=1,maxLength=100"`
	Email   string  `json:"email" jsonschema:"format=email"`
	Phone   *string `json:"phone,omitempty"`
	Address Address `json:"address"`
}

// LineItem is one line of an order.
type LineItem struct {
	SKU   string  `json:"sku" jsonschema:"pattern=^[A-Z]{3}-[0-9]{4}$"`
	Qty   int     `json:"qty" jsonschema:"minimum=1"`
	Price float64 `json:"price" jsonschema:"minimum=0"`
}

// Order is an order: nested named structs (reflected as references), a
// slice of structs, a map and an enum.
type Order struct {
	Customer Customer          `json:"customer"`
	Shipping *Address          `json:"shipping"`
	Items    []LineItem        `json:"items" jsonschema:"minItems=1"`
	Tags     map[string]string `json:"tags"`
	Status   string            `json:"status" jsonschema:"enum=pending,enum=paid,enum=shipped"`
	Created  string            `json:"created" jsonschema:"format=date-time"`
}

// FlatJSON returns params for Flat (71 bytes).
func FlatJSON() string {
	return `{"name":"Ada Lovelace","email":"ada@example.com","age":36,"score":99.5}`
}

// OrderJSON returns params for Order with the given number of line items
// (about 1 KB with 20, 20 KB with 500).
func OrderJSON(items int) string {
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

// ParamsSchema returns the params schema of a Func whose params type is t,
// and the components it refers to, as a server reflects and compiles them.
func ParamsSchema(t reflect.Type) (params, components []byte, err error) {
	r := schema.NewReflector()
	cds, err := r.Params(t)
	if err != nil {
		return nil, nil, err
	}
	ps := make([]validate.Param, len(cds))
	for i, cd := range cds {
		ps[i] = validate.Param{Name: cd.Name, Required: cd.Required, Schema: cd.Schema}
	}
	if params, err = json.Marshal(validate.ParamsSchema(validate.Named, ps)); err != nil {
		return nil, nil, err
	}
	if c := r.Components(); c != nil {
		if components, err = json.Marshal(c.Schemas); err != nil {
			return nil, nil, err
		}
	}
	return params, components, nil
}

// Validator compiles the params schema of t as a server does.
func Validator(t reflect.Type) (*validate.Validator, error) {
	params, components, err := ParamsSchema(t)
	if err != nil {
		return nil, err
	}
	return validate.Compile(params, validate.WithComponents(components))
}
