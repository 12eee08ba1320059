package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/schemarpc/schemarpc/internal/ecmaregex"
)

// message words a violation. Every message that compares the value with
// the schema reads "expected <what the schema asks>, got <what was
// found>"; the two about properties name the property ("missing required
// property "email"", "property "foo" is not allowed").
func message(k jsonschema.ErrorKind) string {
	switch k := k.(type) {
	case *kind.Type:
		return "expected " + strings.Join(k.Want, " or ") + ", got " + k.Got
	case *kind.Enum:
		return "expected " + oneOf(k.Want) + ", got " + display(k.Got)
	case *kind.Const:
		return "expected " + display(k.Want) + ", got " + display(k.Got)
	case *kind.Format:
		var se *ecmaregex.SyntaxError
		if k.Want == "regex" && errors.As(k.Err, &se) {
			return "expected a valid ECMA-262 regular expression, got " + display(k.Got) + " (" + se.Reason + ")"
		}
		return "expected a valid " + k.Want + ", got " + display(k.Got)
	case *kind.Pattern:
		return "expected a string matching " + quote(k.Want) + ", got " + display(k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("expected at least %s, got %d", count(k.Want, "character"), k.Got)
	case *kind.MaxLength:
		return fmt.Sprintf("expected at most %s, got %d", count(k.Want, "character"), k.Got)
	case *kind.MinItems:
		return fmt.Sprintf("expected at least %s, got %d", count(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("expected at most %s, got %d", count(k.Want, "item"), k.Got)
	case *kind.MinProperties:
		return fmt.Sprintf("expected at least %s, got %d", count(k.Want, "property"), k.Got)
	case *kind.MaxProperties:
		return fmt.Sprintf("expected at most %s, got %d", count(k.Want, "property"), k.Got)
	case *kind.Minimum:
		return "expected a number >= " + number(k.Want) + ", got " + number(k.Got)
	case *kind.Maximum:
		return "expected a number <= " + number(k.Want) + ", got " + number(k.Got)
	case *kind.ExclusiveMinimum:
		return "expected a number > " + number(k.Want) + ", got " + number(k.Got)
	case *kind.ExclusiveMaximum:
		return "expected a number < " + number(k.Want) + ", got " + number(k.Got)
	case *kind.MultipleOf:
		return "expected a multiple of " + number(k.Want) + ", got " + number(k.Got)
	case *kind.UniqueItems:
		return fmt.Sprintf("expected unique items, got equal items at %d and %d", k.Duplicates[0], k.Duplicates[1])
	case *kind.Contains:
		return `expected an item matching "contains", got none`
	case *kind.MinContains:
		return fmt.Sprintf(`expected at least %s matching "contains", got %d`, count(k.Want, "item"), len(k.Got))
	case *kind.MaxContains:
		return fmt.Sprintf(`expected at most %s matching "contains", got %d`, count(k.Want, "item"), len(k.Got))
	case *kind.AdditionalItems:
		return fmt.Sprintf("expected no items past those the schema lists, got %s more", strconv.Itoa(k.Count))
	case *kind.PropertyNames:
		return "expected a valid property name, got " + quote(k.Property)
	case *kind.DependentRequired:
		return missingBecause(k.Missing, k.Prop)
	case *kind.Dependency:
		return missingBecause(k.Missing, k.Prop)
	case *kind.Required:
		return "missing required " + plural(len(k.Missing), "property", "properties") + " " + quoteList(k.Missing)
	case *kind.AdditionalProperties:
		return plural(len(k.Properties), "property", "properties") + " " + quoteList(k.Properties) + " not allowed"
	case *kind.FalseSchema:
		return "expected no value here (the schema is false)"
	case *kind.Not:
		return `expected a value that does not match the "not" schema`
	case *kind.OneOf:
		if len(k.Subschemas) == 2 {
			return fmt.Sprintf(`expected exactly one "oneOf" schema to match, got %d and %d`, k.Subschemas[0], k.Subschemas[1])
		}
		return `expected a value matching one "oneOf" schema, got none`
	case *kind.AnyOf:
		return `expected a value matching an "anyOf" schema, got none`
	case *kind.ContentEncoding:
		return "expected " + k.Want + "-encoded content"
	case *kind.ContentMediaType:
		return "expected content of media type " + k.Want
	}
	return "failed " + quote(keyword(k))
}

// missingBecause words a dependentRequired (or draft-07 dependencies)
// failure.
func missingBecause(missing []string, prop string) string {
	return "missing " + plural(len(missing), "property", "properties") + " " + quoteList(missing) +
		", required when " + quote(prop) + " is present"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count renders "1 item", "2 items", "1 property", "2 properties".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return strconv.Itoa(n) + " " + noun[:len(noun)-1] + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// maxShown bounds how much of a value or list a message shows.
const (
	maxShownRunes  = 64
	maxShownValues = 10
)

// quote renders a string as JSON, shortened to maxShownRunes.
func quote(s string) string {
	if utf8.RuneCountInString(s) > maxShownRunes {
		s = string([]rune(s)[:maxShownRunes]) + "…"
	}
	b, err := json.Marshal(s)
	if err != nil {
		return strconv.Quote(s)
	}
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = quote(n)
	}
	return strings.Join(q, ", ")
}

// display renders a JSON value: strings quoted, numbers and literals as
// written, and arrays and objects as JSON shortened to maxShownRunes.
func display(v any) string {
	switch v := v.(type) {
	case string:
		return quote(v)
	case nil:
		return "null"
	case json.Number:
		return v.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if utf8.RuneCountInString(s) > maxShownRunes {
		s = string([]rune(s)[:maxShownRunes]) + "…"
	}
	return s
}

// oneOf renders the values of an enum.
func oneOf(values []any) string {
	if len(values) == 1 {
		return display(values[0])
	}
	shown := values
	if len(shown) > maxShownValues {
		shown = shown[:maxShownValues]
	}
	parts := make([]string, len(shown))
	for i, v := range shown {
		parts[i] = display(v)
	}
	s := "one of " + strings.Join(parts, ", ")
	if len(values) > len(shown) {
		s += fmt.Sprintf(", … (%d values)", len(values))
	}
	return s
}

// number renders an exact number as a decimal.
func number(r *big.Rat) string {
	if r == nil {
		return "?"
	}
	if r.IsInt() {
		return r.Num().String()
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}
