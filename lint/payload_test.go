package lint_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/schemarpc/schemarpc/lint"
)

// checkPayload checks in against subtractDoc and returns the findings.
func checkPayload(t *testing.T, in string) []lint.Finding {
	t.Helper()
	doc, _ := check(t, subtractDoc)
	var got []lint.Finding
	if err := doc.Payloads().Check(context.Background(), strings.NewReader(in), "p", func(f lint.Finding) { got = append(got, f) }); err != nil {
		t.Fatal(err)
	}
	return got
}

// A JSON Lines line cut inside a string must not swallow the lines after
// it: a newline ends a line (issue 12, item 7).
func TestPayloads_lineCutInsideString(t *testing.T) {
	for _, cut := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"subtract","params":["ab`,
		`{"jsonrpc":"2.0","id":1,"method":"subtract","params":["a\"{[`,
		`{"jsonrpc":"2.0","id":1,"method":"subtract","params":["ab\`,
		`["x`,
	} {
		in := cut + "\n" +
			`{"jsonrpc":"2.0","id":2,"method":"subtract","params":[1,"y"]}` + "\n" +
			`{"jsonrpc":"2.0","id":3,"method":"sum","params":[1,"2"]}` + "\n" +
			`{"jsonrpc":"2.0","id":4,"method":"nope"}` + "\n" +
			`{"jsonrpc":"2.0","id":5,"method":"find","params":[1]}` + "\n" +
			`{"jsonrpc":"2.0","id":6,"method":"subtract","params":{"minuend":1}}` + "\n"
		got := checkPayload(t, in)
		var lines []string
		for _, f := range got {
			lines = append(lines, fmt.Sprintf("%d:%s", f.Line, f.Keyword))
		}
		if s := strings.Join(lines, " "); s != "1:json 2:type 3:type 4:method 5:paramStructure 6:required" {
			t.Errorf("after %s: got %s\n%s", cut, s, findingsText(got))
		}
	}
}

// Values that span lines are still framed by their brackets, strings
// included, as long as no string spans a line.
func TestPayloads_prettyPrintedValues(t *testing.T) {
	in := "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 1,\n  \"method\": \"subtract\",\n  \"params\": [\"}]{\", 2]\n}\n" +
		"[\n  {\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": \"sum\", \"params\": [\"\\\"[\"]}\n]\n"
	got := findingsText(checkPayload(t, in))
	want := "p:1: method subtract: /params/0: type: expected number, got string\n" +
		"p:7[0]: method sum: /params/0: type: expected number, got string\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Findings come in input order across the batches that are checked in
// parallel, and responses are matched with requests of earlier batches.
func TestPayloads_orderAndMatchingAcrossBatches(t *testing.T) {
	const n = 30000
	var in, want strings.Builder
	for i := 1; i <= n; i++ {
		switch {
		case i%10 == 0: // a response to the request 9 lines up, sometimes wrong
			if i%20 == 0 {
				fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":%d,"result":"s"}`+"\n", i-9)
				fmt.Fprintf(&want, "p:%d: method subtract: /result: type: expected number, got string\n", i)
			} else {
				fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":%d,"result":%d}`+"\n", i-9, i)
			}
		case i%7 == 0:
			fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,"x"]}`+"\n", i, i)
			fmt.Fprintf(&want, "p:%d: method subtract: /params/1: type: expected number, got string\n", i)
		default:
			fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,1]}`+"\n", i, i)
		}
	}
	got := findingsText(checkPayload(t, in.String()))
	if got != want.String() {
		t.Errorf("findings differ from the expected ones; got %d lines, want %d", strings.Count(got, "\n"), strings.Count(want.String(), "\n"))
	}
}

// A response is matched with the latest request with its id, once.
func TestPayloads_responseMatchesLatestRequestOnce(t *testing.T) {
	in := `{"jsonrpc":"2.0","id":1,"method":"find","params":{"q":"a"}}` + "\n" +
		`{"jsonrpc":"2.0","id":1,"method":"subtract","params":[1,2]}` + "\n" +
		`{"jsonrpc":"2.0","id":1,"result":"x"}` + "\n" +
		`{"jsonrpc":"2.0","id":1,"result":"x"}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"method":"sum","params":[1]}` + "\n" +
		`{"jsonrpc":"2.0","id":2,"error":{"code":9,"message":"m"}}` + "\n"
	got := findingsText(checkPayload(t, in))
	want := "p:3: method subtract: /result: type: expected number, got string\n" +
		"p:6: method sum: /error/code: errors: error code 9 is not declared by method sum (hint: declare it in the method's \"errors\")\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Check reports the findings of what it has read without waiting for the
// end of the input, and returns ctx's error as soon as ctx is canceled,
// even while a Read is blocked.
func TestPayloads_streamAndCancel(t *testing.T) {
	doc, _ := check(t, subtractDoc)
	pr, pw := io.Pipe()
	defer pw.Close() // lets the reading goroutine end
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	found := make(chan lint.Finding, 10)
	done := make(chan error, 1)
	go func() {
		done <- doc.Payloads().Check(ctx, pr, "p", func(f lint.Finding) { found <- f })
	}()
	for i := range 2 { // two values: findings are no longer held back
		if _, err := fmt.Fprintf(pw, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[1,"x"]}`+"\n", i); err != nil {
			t.Fatal(err)
		}
	}
	for range 2 {
		if f := <-found; f.Keyword != "type" {
			t.Fatalf("finding %+v", f)
		}
	}
	cancel() // the reader is now blocked in pr.Read
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Check returned %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Check did not return after its context was canceled")
	}
}

// The oldest remembered requests are forgotten first.
func TestPayloads_pendingRequestsBounded(t *testing.T) {
	const max = 1 << 17
	var in strings.Builder
	for i := 0; i <= max; i++ {
		fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[1,2]}`+"\n", i)
	}
	in.WriteString(`{"jsonrpc":"2.0","id":0,"result":"forgotten"}` + "\n")
	in.WriteString(`{"jsonrpc":"2.0","id":1,"result":"remembered"}` + "\n")
	in.WriteString(`{"jsonrpc":"2.0","id":2,"method":"subtract","params":[1,2]}` + "\n") // id 2 again, after the index exists
	for i := 0; i < max; i++ {                                                           // push id 2's first request out
		fmt.Fprintf(&in, `{"jsonrpc":"2.0","id":"s%d","method":"subtract","params":[1,2]}`+"\n", i)
	}
	in.WriteString(`{"jsonrpc":"2.0","id":2,"result":"gone"}` + "\n")
	got := checkPayload(t, in.String())
	if len(got) != 1 || got[0].Line != max+3 || got[0].Pointer != "/result" {
		t.Fatalf("got\n%s", findingsText(got))
	}
}

// Params the validator refuses to check (nested past validate.MaxDepth)
// are an error, as a schemarpc server refuses them; a result it refuses
// to check is a warning, as servers do not check results. Both used to
// pass without a finding.
func TestPayloads_tooComplexToCheck(t *testing.T) {
	deep := strings.Repeat("[", 3000) + strings.Repeat("]", 3000)
	in := `{"jsonrpc":"2.0","id":1,"method":"subtract","params":[` + deep + `,1]}` + "\n" +
		`{"jsonrpc":"2.0","id":1,"result":` + deep + `}` + "\n"
	got := checkPayload(t, in)
	want := "p:1: method subtract: /params: complexity: too complex to check: the value nests more than 2048 levels deep\n" +
		"p:2: method subtract: /result: complexity: too complex to check: the value nests more than 2048 levels deep\n"
	if s := findingsText(got); s != want {
		t.Errorf("got\n%s\nwant\n%s", s, want)
	}
	if len(got) == 2 && (got[0].Severity != lint.SeverityError || got[1].Severity != lint.SeverityWarning) {
		t.Errorf("severities %v, %v; want error, warning", got[0].Severity, got[1].Severity)
	}
}
