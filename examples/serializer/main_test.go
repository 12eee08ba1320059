package main

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out strings.Builder
	if err := run(t.Context(), []string{"-addr", "127.0.0.1:0"}, &out); err != nil {
		t.Fatal(err)
	}
	const want = `wire:    {"uuid":"3b241101-e2bb-4255-8caf-4136c566a962","username":"mike","email":"some@mail.com","joined":1700000000}
decoded: {UUID:3b241101-e2bb-4255-8caf-4136c566a962 Username:mike Email:some@mail.com Joined:2023-11-14 22:13:20 +0000 UTC}
joined since 2024-01-01: [ann]
schema of User.joined: {"type":"integer"}
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}

func TestUnixTimeCodec_roundTrip(t *testing.T) {
	type Inner struct {
		At time.Time `json:"at"`
	}
	type Embedded struct{ Note string }
	type Value struct {
		Embedded
		At     time.Time            `json:"at"`
		Ptr    *time.Time           `json:"ptr"`
		Nil    *time.Time           `json:"nil"`
		List   []Inner              `json:"list"`
		ByName map[string]time.Time `json:"by_name"`
		Array  [1]time.Time         `json:"array"`
		//lint:ignore U1000 an unexported field, which the codec must skip
		hidden time.Time
	}
	at := time.Unix(1000000000, 0).UTC()
	in := Value{Embedded: Embedded{Note: "n"}, At: at, Ptr: &at, List: []Inner{{At: at}}, ByName: map[string]time.Time{"a": at}, Array: [1]time.Time{at}}

	var codec unixTimeCodec
	b, err := codec.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const wire = `{"Note":"n","at":1000000000,"ptr":1000000000,"nil":null,"list":[{"at":1000000000}],"by_name":{"a":1000000000},"array":[1000000000]}`
	if string(b) != wire {
		t.Errorf("Marshal:\n got %s\nwant %s", b, wire)
	}
	var out Value
	if err := codec.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("Unmarshal: got %+v, want %+v", out, in)
	}

	// Values without times are left to encoding/json.
	var n int
	if err := codec.Unmarshal([]byte("7"), &n); err != nil || n != 7 {
		t.Errorf("Unmarshal(7) = %d, %v", n, err)
	}
	if b, err := codec.Marshal(nil); string(b) != "null" || err != nil {
		t.Errorf("Marshal(nil) = %s, %v", b, err)
	}
}
