"""Talk JSON-RPC 2.0 over HTTP to URL (argv[1]) the way aiohttp-rpc's client does.

aiohttp-rpc's JsonRpcClient.send_json (aiohttp_rpc/client/http.py) posts every
payload with session.post(url, json=data), calls raise_for_status(), then reads
the answer with `await http_response.json(loads=...)`, for notifications too
(it only drops the decoded value afterwards). aiohttp's ClientResponse.json()
checks the media type before it looks at the body, so an answer without
Content-Type: application/json fails with ContentTypeError even when the body is
empty. This script does exactly those calls, for each of call, notify, batch and
batch_notify (BaseJsonRpcClient in aiohttp_rpc/client/base.py), and prints one
JSON line per step: {"step": ..., "status": ..., "content_type": ..., "value": ...}
or {"step": ..., "error": "<exception class>: <message>"}.
"""

import asyncio
import json
import sys

import aiohttp


async def send_json(session, url, data):
    # JsonRpcClient.send_json, without aiohttp-rpc's error classes.
    http_response = await session.post(url, json=data)
    http_response.raise_for_status()
    value = await http_response.json(loads=json.loads)
    return http_response, value


async def main(url):
    steps = [
        ("call", {"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}),
        ("notify", {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}),
        ("batch", [
            {"jsonrpc": "2.0", "method": "ping", "id": 2},
            {"jsonrpc": "2.0", "method": "sum", "params": [1, 2, 4], "id": 3},
        ]),
        ("batch_notify", [
            {"jsonrpc": "2.0", "method": "notify_hello", "params": [8]},
            {"jsonrpc": "2.0", "method": "notify_sum", "params": [1, 2]},
        ]),
    ]
    async with aiohttp.ClientSession(json_serialize=json.dumps) as session:
        for step, payload in steps:
            try:
                resp, value = await send_json(session, url, payload)
                out = {
                    "step": step,
                    "status": resp.status,
                    "content_type": resp.headers.get("Content-Type", ""),
                    "value": value,
                }
            except Exception as e:  # reported, the Go test decides
                out = {"step": step, "error": "%s: %s" % (type(e).__name__, e)}
            print(json.dumps(out, sort_keys=True), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
