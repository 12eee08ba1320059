package main

import (
	"strings"
	"testing"

	"github.com/schemarpc/schemarpc/internal/leakcheck"
)

func TestRun(t *testing.T) {
	leakcheck.Check(t)
	var out strings.Builder
	if err := run(t.Context(), []string{"-addr", "127.0.0.1:0"}, &out); err != nil {
		t.Fatal(err)
	}
	const want = `by name: {Username:ann Plan:free}
by position: {Username:bob Plan:pro}
every field wrong: -32602 Invalid params
  /address/city        minLength            expected at least 1 character, got 0
  /address/country     pattern              expected a string matching "^[A-Z]{2}$", got "France"
  /admin               additionalProperties property "admin" is not allowed
  /age                 minimum              expected a number >= 13, got 7
  /email               format               expected a valid email, got "not-an-email"
  /plan                enum                 expected one of "free", "pro", got "gold"
  /tags                uniqueItems          expected unique items, got equal items at 0 and 1
  /username            minLength            expected at least 3 characters, got 2
missing params: -32602 Invalid params
  /age                 required             missing required property "age"
  /username            required             missing required property "username"
wrong types: -32602 Invalid params
  /age                 type                 expected integer, got string
  /username            type                 expected string, got number
too many by position: -32602 Invalid params
  /6                   maxItems             too many params: signup takes at most 6, got 7
rpc.discover (valid OpenRPC 1.3.2):
{
  "openrpc": "1.3.2",
  "info": {
    "title": "Signup service",
    "version": "1.0.0"
  },
  "methods": [
    {
      "name": "signup",
      "summary": "Create an account",
      "params": [
        {
          "name": "email",
          "required": true,
          "schema": {
            "type": "string",
            "format": "email"
          }
        },
        {
          "name": "username",
          "required": true,
          "schema": {
            "type": "string",
            "maxLength": 16,
            "minLength": 3,
            "pattern": "^[a-z0-9_]+$"
          }
        },
        {
          "name": "age",
          "required": true,
          "schema": {
            "type": "integer",
            "maximum": 130,
            "minimum": 13
          }
        },
        {
          "name": "plan",
          "description": "Defaults to free",
          "schema": {
            "type": "string",
            "enum": [
              "free",
              "pro"
            ],
            "description": "Defaults to free"
          }
        },
        {
          "name": "tags",
          "schema": {
            "items": {
              "type": "string"
            },
            "type": "array",
            "maxItems": 3,
            "uniqueItems": true
          }
        },
        {
          "name": "address",
          "schema": {
            "anyOf": [
              {
                "$ref": "#/components/schemas/Address"
              },
              {
                "type": "null"
              }
            ]
          }
        }
      ],
      "result": {
        "name": "result",
        "schema": {
          "$ref": "#/components/schemas/Account"
        }
      },
      "examples": [
        {
          "name": "minimal",
          "params": [
            {
              "name": "email",
              "value": "ann@example.com"
            },
            {
              "name": "username",
              "value": "ann"
            },
            {
              "name": "age",
              "value": 30
            }
          ],
          "result": {
            "name": "result",
            "value": {
              "plan": "free",
              "username": "ann"
            }
          }
        }
      ]
    }
  ],
  "components": {
    "schemas": {
      "Account": {
        "properties": {
          "username": {
            "type": "string"
          },
          "plan": {
            "type": "string",
            "enum": [
              "free",
              "pro"
            ]
          }
        },
        "additionalProperties": false,
        "type": "object",
        "required": [
          "username",
          "plan"
        ],
        "title": "Account"
      },
      "Address": {
        "properties": {
          "city": {
            "type": "string",
            "minLength": 1
          },
          "country": {
            "type": "string",
            "pattern": "^[A-Z]{2}$",
            "description": "ISO 3166-1 alpha-2 code"
          }
        },
        "additionalProperties": false,
        "type": "object",
        "required": [
          "city",
          "country"
        ],
        "title": "Address"
      }
    }
  }
}
`
	if got := out.String(); got != want {
		t.Errorf("output:\n%s\nwant:\n%s", got, want)
	}
}
