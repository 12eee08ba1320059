package wsclient

import (
	"context"

	"github.com/schemarpc/schemarpc"
	"github.com/schemarpc/schemarpc/client"
)

// The calling verbs are those of package client (see client.Client), sent
// over the connection.

// Call calls method with params and decodes the result into result (unless
// result is nil); see client.Client. It is safe for concurrent use.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	return c.calls.Call(ctx, method, params, result)
}

// Notify sends a notification; it returns once the frame is queued for
// sending. It is safe for concurrent use.
func (c *Client) Notify(ctx context.Context, method string, params any) error {
	return c.calls.Notify(ctx, method, params)
}

// Batch sends the items as one frame and returns their results in item
// order; see client.Client. It is safe for concurrent use.
func (c *Client) Batch(ctx context.Context, items ...client.BatchItem) (*client.BatchResult, error) {
	return c.calls.Batch(ctx, items...)
}

// BatchNotify sends every item as a notification, in one frame. It is safe
// for concurrent use.
func (c *Client) BatchNotify(ctx context.Context, items ...client.BatchItem) error {
	return c.calls.BatchNotify(ctx, items...)
}

// DirectCall sends req as it is and returns the raw response; see
// client.Client. It is safe for concurrent use.
func (c *Client) DirectCall(ctx context.Context, req *schemarpc.Request) (*schemarpc.Response, error) {
	return c.calls.DirectCall(ctx, req)
}

// DirectBatch sends reqs as one frame and returns the raw responses. It is
// safe for concurrent use.
func (c *Client) DirectBatch(ctx context.Context, reqs []*schemarpc.Request) ([]*schemarpc.Response, error) {
	return c.calls.DirectBatch(ctx, reqs)
}
