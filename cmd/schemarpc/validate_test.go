package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidate_documents checks every document fixture against its golden
// output: the valid ones of each version family, and one broken document
// per rule.
func TestValidate_documents(t *testing.T) {
	docs, err := filepath.Glob("testdata/docs/*.json")
	if err != nil {
		t.Fatal(err)
	}
	docs = append(docs, "testdata/docs/external/main.json", "testdata/docs/external/missing.json",
		"testdata/docs/external/cwd-relative.json", "testdata/docs/external/refs-to-refs.json")
	for _, doc := range docs {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(doc), "testdata/docs/"), ".json")
		name = strings.ReplaceAll(name, "/", "-")
		t.Run(name, func(t *testing.T) {
			golden(t, "validate-"+name+".golden", run(t, nil, "validate", doc).String())
		})
	}
}

func TestValidate_validDocumentsExitZero(t *testing.T) {
	for _, doc := range []string{"eth.json", "rc1.json", "v14.json", "external/main.json", "external/refs-to-refs.json",
		"shared-examples.json", "example-contradicts.json"} {
		if r := run(t, nil, "validate", "testdata/docs/"+doc); r.code != 0 {
			t.Errorf("%s: %s", doc, r)
		}
	}
}

func TestValidate_demoDocumentIsClean(t *testing.T) {
	if r := run(t, nil, "validate", demoDocument(t)); r.code != 0 || r.stdout != "" {
		t.Errorf("the demo's own document has findings:\n%s", r)
	}
}

func TestValidate_payloads(t *testing.T) {
	spec := demoDocument(t)
	r := run(t, nil, "validate", spec,
		"testdata/payloads/request.json", "testdata/payloads/batch.json",
		"testdata/payloads/responses.json", "testdata/payloads/traffic.jsonl")
	golden(t, "validate-payloads.golden", r.String())
}

func TestValidate_cleanPayloads(t *testing.T) {
	if r := run(t, nil, "validate", demoDocument(t), "testdata/payloads/clean.jsonl"); r.code != 0 {
		t.Errorf("clean payloads have findings:\n%s", r)
	}
}

func TestValidate_jsonFormat(t *testing.T) {
	r := run(t, nil, "validate", "--format", "json", "testdata/docs/oneof-on-descriptor.json")
	golden(t, "validate-json.golden", r.String())
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		var f map[string]any
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			t.Fatalf("not one JSON object per line: %q: %v", line, err)
		}
		for _, k := range []string{"severity", "file", "pointer", "keyword", "message"} {
			if _, ok := f[k]; !ok {
				t.Errorf("finding %s lacks %q", line, k)
			}
		}
	}
}

func TestValidate_stdin(t *testing.T) {
	in := `{"jsonrpc": "2.0", "id": 1, "method": "subtract", "params": [1]}` + "\n" +
		`{"jsonrpc": "2.0", "id": 2, "method": "subtract", "params": [1, 2]}` + "\n"
	r := run(t, strings.NewReader(in), "validate", demoDocument(t), "-")
	want := `error: <stdin>:1: method subtract: /params: required: missing required param "subtrahend" (position 1)` + "\n" +
		"1 error, 0 warnings\n"
	if r.code != 1 || r.stdout != want {
		t.Errorf("got\n%s\nwant exit 1 and stdout\n%s", r, want)
	}
}

func TestValidate_exitCodes(t *testing.T) {
	spec := demoDocument(t)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{spec}, 0},
		{"findings", []string{"testdata/docs/dangling-ref.json"}, 1},
		{"not JSON", []string{"testdata/docs/not-json.json"}, 1},
		{"no args", nil, 2},
		{"missing spec", []string{"testdata/docs/nope.json"}, 2},
		{"missing payload", []string{spec, "testdata/payloads/nope.jsonl"}, 2},
		{"bad format", []string{"--format", "xml", spec}, 2},
		{"warnings only", []string{"testdata/docs/bad-example.json"}, 0},
		{"warnings fail on warning", []string{"--fail-on", "warning", "testdata/docs/bad-example.json"}, 1},
		{"errors fail on warning", []string{"--fail-on", "warning", "testdata/docs/dangling-ref.json"}, 1},
		{"errors fail on error", []string{"--fail-on", "error", "testdata/docs/dangling-ref.json"}, 1},
		{"bad fail-on", []string{"--fail-on", "info", spec}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if r := run(t, nil, append([]string{"validate"}, tt.args...)...); r.code != tt.code {
				t.Errorf("exit %d, want %d\n%s", r.code, tt.code, r)
			}
		})
	}
}

// TestValidate_largeJSONL streams a generated file of many requests and
// checks that each bad one is found at its line.
func TestValidate_largeJSONL(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	path := filepath.Join(t.TempDir(), "big.jsonl")
	writeRequests(t, path, n, 9973)
	r := run(t, nil, "validate", demoDocument(t), path)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	want := n / 9973
	if len(lines) != want+1 || lines[want] != fmt.Sprintf("%d errors, 0 warnings", want) {
		t.Fatalf("%d lines, want %d findings and a summary: %q", len(lines), want, lines[len(lines)-1])
	}
	for i, l := range lines[:want] {
		want := fmt.Sprintf("error: %s:%d: method subtract: /params/1: type:", path, (i+1)*9973)
		if !strings.HasPrefix(l, want) {
			t.Errorf("finding %q, want prefix %q", l, want)
		}
	}
}

// writeRequests writes n subtract requests, one per line, every bad-th of
// them (1-based line numbers) with a string subtrahend.
func writeRequests(t testing.TB, path string, n, bad int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := 1; i <= n; i++ {
		if i%bad == 0 {
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,"x"]}`+"\n", i, i)
			continue
		}
		switch i % 3 {
		case 0:
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"subtract","params":[%d,23]}`+"\n", i, i)
		case 1:
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"method":"create_user","params":{"username":"user_%d","email":"u%d@example.com"}}`+"\n", i, i, i)
		default:
			fmt.Fprintf(w, `{"jsonrpc":"2.0","method":"sum","params":[%d,2,3]}`+"\n", i)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkValidate_JSONL measures validate over a JSONL file of requests
// to the demo document; set SCHEMARPC_BENCH_MB to choose its size
// (default 10 MB; the figure is for 100).
func BenchmarkValidate_JSONL(b *testing.B) {
	mb := 10
	if s := os.Getenv("SCHEMARPC_BENCH_MB"); s != "" {
		fmt.Sscan(s, &mb)
	}
	dir := b.TempDir()
	path := filepath.Join(dir, "big.jsonl")
	n := mb << 20 / 85 // about 85 bytes a line
	writeRequests(b, path, n, n+1)
	spec := demoDocument(b)
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		if r := run(b, nil, "validate", spec, path); r.code != 0 {
			b.Fatalf("exit %d: %.500s", r.code, r)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}
