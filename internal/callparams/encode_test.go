package callparams_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/internal/callparams"
)

func TestEncode(t *testing.T) {
	var nilPtr *struct{ A int }
	codec := schemarpc.JSONCodec{}
	for _, tc := range []struct {
		name   string
		params any
		want   string
		shape  bool // ErrShape expected
	}{
		{"nil", nil, "", false},
		{"nil pointer", nilPtr, "", false},
		{"slice", []int{1, 2}, "[1,2]", false},
		{"struct", struct{ A int }{1}, `{"A":1}`, false},
		{"raw", json.RawMessage(` {"a":1}`), ` {"a":1}`, false},
		{"raw null", json.RawMessage(`null`), "", false},
		{"number", 5, "", true},
		{"string", "x", "", true},
		{"raw string", json.RawMessage(`"x"`), "", true},
	} {
		got, err := callparams.Encode(codec, tc.params)
		if tc.shape {
			if !errors.Is(err, callparams.ErrShape) {
				t.Errorf("%s: err %v, want ErrShape", tc.name, err)
			}
			continue
		}
		if err != nil || string(got) != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := callparams.Encode(codec, make(chan int)); err == nil {
		t.Error("a value the codec cannot encode gave no error")
	}
}
