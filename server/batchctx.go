package server

import "context"

type batchKey struct{}

// BatchSizeFromContext returns the number of members of the batch that
// carried the call being served, or 0 when the call arrived alone (a
// single request, over any transport). Members of one batch share the
// context their transport gave them (for HTTP, the POST's), so a
// middleware can tie them to that request, for example to link their trace
// spans to the span of the HTTP request.
func BatchSizeFromContext(ctx context.Context) int {
	n, _ := ctx.Value(batchKey{}).(int)
	return n
}

// withBatch marks ctx as the context of the members of a batch of n.
func withBatch(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, batchKey{}, n)
}
