package jsonscan_test

import (
	"slices"
	"testing"

	"github.com/schemarpc/schemarpc/internal/jsonscan"
)

func TestElementsAndMembers(t *testing.T) {
	arr := []byte(` [ 1 , "a,]" , {"k":[1,{"x":"}"}]} ,null,-2.5e3 ] `)
	var got []string
	for el := range jsonscan.Elements(jsonscan.TrimSpace(arr)) {
		got = append(got, string(el))
	}
	want := []string{`1`, `"a,]"`, `{"k":[1,{"x":"}"}]}`, `null`, `-2.5e3`}
	if !slices.Equal(got, want) {
		t.Fatalf("elements %q, want %q", got, want)
	}
	obj := []byte(`{"a" : 1, "b\"c":"x\"y", "d":[], "e":{}}`)
	var keys, vals []string
	for k, v := range jsonscan.Members(obj) {
		s, ok := jsonscan.Unquote(k)
		if !ok {
			t.Fatalf("key %s", k)
		}
		keys, vals = append(keys, s), append(vals, string(v))
	}
	if !slices.Equal(keys, []string{"a", `b"c`, "d", "e"}) || !slices.Equal(vals, []string{"1", `"x\"y"`, "[]", "{}"}) {
		t.Fatalf("members %q %q", keys, vals)
	}
	if n := 0; true {
		for range jsonscan.Elements([]byte(`[]`)) {
			n++
		}
		if n != 0 {
			t.Fatal("empty array yields elements")
		}
	}
}

func TestUnquote(t *testing.T) {
	for in, want := range map[string]string{`"abc"`: "abc", `"a\u00e9\n"`: "aé\n", `""`: ""} {
		if got, ok := jsonscan.Unquote([]byte(in)); !ok || got != want {
			t.Errorf("Unquote(%s) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{`1`, `"`, `null`, `"abc`} {
		if _, ok := jsonscan.Unquote([]byte(in)); ok {
			t.Errorf("Unquote(%s) ok", in)
		}
	}
}
