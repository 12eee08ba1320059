package client

import (
	"context"
	"fmt"

	"github.com/schemarpc/schemarpc"
)

// BatchItem is one member of a batch: a call, or a notification when
// Notification is set. Params are as for [Client.Call]. [Method.Request]
// and [Method.Notification] build typed items. A BatchItem is a plain
// value; the client only reads it.
type BatchItem struct {
	// Method is the name of the method to call.
	Method string
	// Params are the params, as for Client.Call; nil means none.
	Params any
	// Notification makes the item a notification: no id, no result.
	Notification bool
}

// BatchResult is the outcome of [Client.Batch]: one [Result] per item, in
// the order of the items whatever the order of the responses, plus the
// responses that could not be paired with an item (aiohttp-rpc's
// UnlinkedResults and DuplicatedResults). It is a plain value, not shared
// with the client.
type BatchResult struct {
	// Results has one entry per item, in item order.
	Results []Result
	// Unlinked holds responses whose id matches no call of the batch, for
	// example an error with a null id.
	Unlinked []*schemarpc.Response
	// Duplicates holds responses whose id had already been answered; the
	// first response for an id is the one in Results.
	Duplicates []*schemarpc.Response
}

// Err returns the first error among the results, or nil when every call
// succeeded.
func (b *BatchResult) Err() error {
	for i := range b.Results {
		if err := b.Results[i].Err; err != nil {
			return err
		}
	}
	return nil
}

// Result is the outcome of one batch item. It is a plain value; its
// methods only read it and may be called from any goroutine.
type Result struct {
	// Response is the response to the call, or nil for a notification and
	// for a call that got no response.
	Response *schemarpc.Response
	// Err is the call's error: the server's error answer (a
	// *schemarpc.Error or what [WithErrorMap] made of it), or
	// [ErrEmptyResponse] when no response carried the call's id. It is nil
	// for successes and notifications.
	Err   error
	codec schemarpc.Codec
}

// Decode decodes the result into v. It returns r.Err when set, and does
// nothing for a notification.
func (r Result) Decode(v any) error {
	if r.Err != nil {
		return r.Err
	}
	if r.Response == nil || v == nil {
		return nil
	}
	codec := r.codec
	if codec == nil {
		codec = schemarpc.JSONCodec{}
	}
	if err := codec.Unmarshal(r.Response.Result, v); err != nil {
		return fmt.Errorf("client: decoding batch result: %w", err)
	}
	return nil
}

// ResultAs decodes r as an R; see [Result.Decode].
func ResultAs[R any](r Result) (R, error) {
	var v R
	err := r.Decode(&v)
	return v, err
}

// Batch sends the items as one batch and returns their results in item
// order (aiohttp-rpc's batch with save_order). Each call's error is in its
// [Result]; the returned error is for the batch as a whole: a transport
// failure, a timeout, an empty item list, params that cannot be encoded,
// or an error answer no call could be tied to (for example -32600 for a
// batch larger than the server accepts). Batch is safe for concurrent use.
func (c *caller) Batch(ctx context.Context, items ...BatchItem) (*BatchResult, error) {
	reqs, err := c.batchRequests(items, false)
	if err != nil {
		return nil, err
	}
	resps, err := c.DirectBatch(ctx, reqs)
	if err != nil {
		return nil, err
	}
	return c.link(reqs, resps)
}

// BatchNotify sends every item as a notification, whatever its
// Notification field says, in one batch. BatchNotify is safe for
// concurrent use.
func (c *caller) BatchNotify(ctx context.Context, items ...BatchItem) error {
	reqs, err := c.batchRequests(items, true)
	if err != nil {
		return err
	}
	_, err = c.DirectBatch(ctx, reqs)
	return err
}

func (c *caller) batchRequests(items []BatchItem, notify bool) ([]*schemarpc.Request, error) {
	if len(items) == 0 {
		return nil, errEmptyBatch
	}
	reqs := make([]*schemarpc.Request, len(items))
	backing := make([]schemarpc.Request, len(items))
	for i, it := range items {
		raw, err := c.encodeParams(it.Method, it.Params)
		if err != nil {
			return nil, err
		}
		backing[i] = schemarpc.Request{Method: it.Method, Params: raw}
		if !notify && !it.Notification {
			backing[i].ID = c.cfg.IDs()
		}
		reqs[i] = &backing[i]
	}
	return reqs, nil
}

// link pairs responses with requests by id.
func (c *caller) link(reqs []*schemarpc.Request, resps []*schemarpc.Response) (*BatchResult, error) {
	out := &BatchResult{Results: make([]Result, len(reqs))}
	index := make(map[schemarpc.ID]int, len(reqs))
	for i, r := range reqs {
		out.Results[i].codec = c.cfg.Codec
		if !r.IsNotification() {
			index[r.ID] = i
		}
	}
	for _, resp := range resps {
		if resp == nil {
			continue
		}
		i, ok := index[resp.ID]
		if !ok {
			out.Unlinked = append(out.Unlinked, resp)
			continue
		}
		if out.Results[i].Response != nil {
			out.Duplicates = append(out.Duplicates, resp)
			continue
		}
		out.Results[i].Response = resp
		if resp.Error != nil {
			out.Results[i].Err = c.mapError(resp.Error)
		}
	}
	answered := 0
	for i, r := range reqs {
		if r.IsNotification() {
			continue
		}
		if out.Results[i].Response == nil {
			out.Results[i].Err = fmt.Errorf("%w: no answer to %q (id %s)", ErrEmptyResponse, r.Method, r.ID)
			continue
		}
		answered++
	}
	if answered == 0 && len(index) > 0 {
		// The server answered the batch as a whole with an error.
		for _, u := range out.Unlinked {
			if u.Error != nil && (u.ID.IsNull() || u.ID.IsZero()) {
				return nil, c.mapError(u.Error)
			}
		}
	}
	return out, nil
}
