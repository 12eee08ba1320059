package validate_test

import (
	"encoding/json"
	"testing"

	"github.com/schemarpc/schemarpc/validate"
)

func TestParams_Normalize(t *testing.T) {
	named := validate.Params{Method: "subtract", Names: []string{"minuend", "subtrahend", "né\"x"}}
	cases := []struct {
		p       validate.Params
		in      string // "" means absent
		want    string
		kw, ptr string
	}{
		{named, "", `{}`, "", ""},
		{named, `{"minuend":1}`, `{"minuend":1}`, "", ""},
		{named, `[42, 23]`, `{"minuend":42,"subtrahend":23}`, "", ""},
		{named, `[1,2,"x"]`, `{"minuend":1,"subtrahend":2,"né\"x":"x"}`, "", ""},
		{named, `[]`, `{}`, "", ""},
		{named, `[1,2,3,4,5]`, "", "maxItems", "/3"},
		{validate.Params{Method: "f", Names: []string{"a"}, ByName: true}, `[1]`, "", "type", ""},
		{validate.Params{Method: "f", Names: []string{"a"}, ByPosition: true}, `{"a":1}`, "", "type", ""},
		{validate.Params{Method: "f", Names: []string{"a"}, ByPosition: true}, `[1]`, `{"a":1}`, "", ""},
		{validate.Params{Method: "ping", Shape: validate.NoParams}, "", "", "", ""},
		{validate.Params{Method: "ping", Shape: validate.NoParams}, `[ ]`, "", "", ""},
		{validate.Params{Method: "ping", Shape: validate.NoParams}, `{}`, "", "", ""},
		{validate.Params{Method: "ping", Shape: validate.NoParams}, `[1]`, "", "maxItems", ""},
		{validate.Params{Method: "ping", Shape: validate.NoParams}, `{"a":1}`, "", "maxProperties", ""},
		{validate.Params{Method: "sum", Shape: validate.VariadicParams}, "", `[]`, "", ""},
		{validate.Params{Method: "sum", Shape: validate.VariadicParams}, `[1,2]`, `[1,2]`, "", ""},
		{validate.Params{Method: "sum", Shape: validate.VariadicParams}, `{"a":1}`, "", "type", ""},
		{validate.Params{Method: "echo", Shape: validate.AnyParams}, `{"a":1}`, `{"a":1}`, "", ""},
	}
	for _, c := range cases {
		var in json.RawMessage
		if c.in != "" {
			in = json.RawMessage(c.in)
		}
		got, err := c.p.Normalize(in)
		if c.kw != "" {
			if err == nil || len(err.Violations) != 1 || err.Violations[0].Keyword != c.kw || err.Violations[0].Pointer != c.ptr {
				t.Errorf("%s(%s): got %s, %v; want violation %s at %q", c.p.Method, c.in, got, err, c.kw, c.ptr)
			}
			continue
		}
		if err != nil || string(got) != c.want {
			t.Errorf("%s(%s) = %s, %v; want %s", c.p.Method, c.in, got, err, c.want)
		}
		if c.want != "" && !json.Valid(got) {
			t.Errorf("%s(%s) produced invalid JSON %s", c.p.Method, c.in, got)
		}
	}
}
