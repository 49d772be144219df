// Generated from docs/openapi.json by Scripts/generate-openapi; do not edit.
// MidnightAPITests checks that the served document and docs/openapi.json are identical.

/// The OpenAPI 3.1 document served at `GET /api/v1/openapi.json` (a copy of `docs/openapi.json`).
public enum MVMOpenAPI {
    /// The document text.
    public static let json = ##"""
{
 "components": {
  "responses": {
   "E400": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "bad parameter (the message names it)"
   },
   "E401": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "missing or invalid API key"
   },
   "E404": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "not found"
   },
   "E405": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "method not allowed"
   },
   "E429": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "rate limited"
   },
   "E503": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "database unavailable or sync stalled"
   }
  },
  "schemas": {
   "Block": {
    "additionalProperties": false,
    "properties": {
     "author": {
      "type": [
       "string",
       "null"
      ]
     },
     "author_aura_key": {
      "type": [
       "string",
       "null"
      ]
     },
     "chain": {
      "type": "string"
     },
     "extrinsics_count": {
      "minimum": 0,
      "type": "integer"
     },
     "finalized": {
      "type": "boolean"
     },
     "hash": {
      "type": "string"
     },
     "mainchain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "number": {
      "minimum": 0,
      "type": "integer"
     },
     "parent_hash": {
      "type": "string"
     },
     "sidechain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "slot": {
      "minimum": 0,
      "type": "integer"
     },
     "timestamp_ms": {
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "chain",
     "number",
     "hash",
     "parent_hash",
     "slot",
     "sidechain_epoch",
     "mainchain_epoch",
     "timestamp_ms",
     "extrinsics_count",
     "author",
     "author_aura_key",
     "finalized"
    ],
    "type": "object"
   },
   "BlockPage": {
    "properties": {
     "blocks": {
      "items": {
       "$ref": "#/components/schemas/Block"
      },
      "type": "array"
     },
     "next_before": {
      "type": [
       "integer",
       "null"
      ]
     },
     "prev_after": {
      "type": [
       "integer",
       "null"
      ]
     }
    },
    "required": [
     "blocks",
     "next_before",
     "prev_after"
    ],
    "type": "object"
   },
   "EpochOverview": {
    "properties": {
     "blocks_produced": {
      "minimum": 0,
      "type": "integer"
     },
     "sidechain_epoch": {
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "sidechain_epoch",
     "blocks_produced",
     "our_seats",
     "our_blocks",
     "our_expected_blocks"
    ],
    "type": "object"
   },
   "EpochSummary": {
    "properties": {
     "sidechain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "validators": {
      "items": {
       "required": [
        "sidechain_key",
        "is_ours",
        "seats",
        "blocks_produced",
        "expected_blocks"
       ],
       "type": "object"
      },
      "type": "array"
     }
    },
    "required": [
     "chain",
     "sidechain_epoch",
     "blocks_produced",
     "is_running",
     "unattributed_blocks",
     "our_seats",
     "our_blocks",
     "our_expected_blocks",
     "validators"
    ],
    "type": "object"
   },
   "Epochs": {
    "properties": {
     "epochs": {
      "items": {
       "$ref": "#/components/schemas/EpochOverview"
      },
      "type": "array"
     }
    },
    "required": [
     "epochs"
    ],
    "type": "object"
   },
   "Error": {
    "properties": {
     "error": {
      "properties": {
       "code": {
        "type": "string"
       },
       "message": {
        "type": "string"
       }
      },
      "required": [
       "code",
       "message"
      ],
      "type": "object"
     }
    },
    "required": [
     "error"
    ],
    "type": "object"
   },
   "Health": {
    "properties": {
     "chain": {
      "type": "string"
     },
     "last_progress_ms": {
      "minimum": 0,
      "type": "integer"
     },
     "last_synced_block": {
      "type": [
       "integer",
       "null"
      ]
     },
     "max_progress_age_ms": {
      "minimum": 0,
      "type": "integer"
     },
     "progress_age_ms": {
      "minimum": 0,
      "type": "integer"
     },
     "status": {
      "const": "ok"
     }
    },
    "required": [
     "status",
     "chain",
     "last_progress_ms",
     "progress_age_ms",
     "max_progress_age_ms",
     "last_synced_block"
    ],
    "type": "object"
   },
   "OurValidators": {
    "properties": {
     "validators": {
      "items": {
       "$ref": "#/components/schemas/Validator"
      },
      "type": "array"
     }
    },
    "required": [
     "validators"
    ],
    "type": "object"
   },
   "Status": {
    "properties": {
     "chain": {
      "type": "string"
     },
     "current_epoch": {
      "oneOf": [
       {
        "$ref": "#/components/schemas/EpochSummary"
       },
       {
        "type": "null"
       }
      ]
     },
     "health": {
      "properties": {
       "healthy": {
        "type": "boolean"
       },
       "reason": {
        "type": [
         "string",
         "null"
        ]
       }
      },
      "required": [
       "healthy",
       "reason"
      ],
      "type": "object"
     },
     "recent_epochs": {
      "items": {
       "$ref": "#/components/schemas/EpochOverview"
      },
      "type": "array"
     },
     "stats": {
      "$ref": "#/components/schemas/StoreStats"
     },
     "sync": {
      "$ref": "#/components/schemas/SyncStatus"
     }
    },
    "required": [
     "chain",
     "health",
     "sync",
     "stats",
     "current_epoch",
     "recent_epochs"
    ],
    "type": "object"
   },
   "StoreStats": {
    "description": "Database-wide figures.",
    "properties": {
     "attributed_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "chain": {
      "type": "string"
     },
     "committees": {
      "minimum": 0,
      "type": "integer"
     },
     "finalized_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "first_block": {
      "minimum": 0,
      "type": "integer"
     },
     "gaps": {
      "minimum": 0,
      "type": "integer"
     },
     "last_block": {
      "minimum": 0,
      "type": "integer"
     },
     "last_finalized_block": {
      "minimum": 0,
      "type": "integer"
     },
     "latest_sidechain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "missing_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "our_validators": {
      "minimum": 0,
      "type": "integer"
     },
     "total_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "unattributed_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "unattributed_by_reason": {
      "additionalProperties": {
       "minimum": 0,
       "type": "integer"
      },
      "type": "object"
     },
     "unfinalized_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "validators": {
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "chain",
     "total_blocks",
     "finalized_blocks",
     "unfinalized_blocks",
     "attributed_blocks",
     "unattributed_blocks",
     "unattributed_by_reason",
     "gaps",
     "missing_blocks",
     "validators",
     "our_validators",
     "committees"
    ],
    "type": "object"
   },
   "SyncStatus": {
    "description": "The sync daemon's status row. Optional figures are left out until the daemon knows them.",
    "properties": {
     "blocks_behind": {
      "description": "best block minus last synced block",
      "minimum": 0,
      "type": "integer"
     },
     "blocks_per_second": {
      "minimum": 0,
      "type": "number"
     },
     "chain": {
      "type": "string"
     },
     "chain_tip_block": {
      "description": "node's best block",
      "minimum": 0,
      "type": "integer"
     },
     "current_mainchain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "current_sidechain_epoch": {
      "minimum": 0,
      "type": "integer"
     },
     "is_syncing": {
      "type": "boolean"
     },
     "last_error": {
      "type": "string"
     },
     "last_error_ms": {
      "description": "Unix ms",
      "minimum": 0,
      "type": "integer"
     },
     "last_finalized_block": {
      "description": "node's finalized block",
      "minimum": 0,
      "type": "integer"
     },
     "last_progress_ms": {
      "description": "Unix ms",
      "minimum": 0,
      "type": "integer"
     },
     "last_synced_block": {
      "description": "highest block stored contiguously",
      "minimum": 0,
      "type": "integer"
     },
     "node_health_ms": {
      "description": "when the daemon last read the node's health, Unix ms",
      "minimum": 0,
      "type": "integer"
     },
     "node_peers": {
      "description": "the node's peer count (system_health) when the daemon last asked",
      "minimum": 0,
      "type": "integer"
     },
     "node_synced": {
      "description": "the node said it is not syncing (system_health.isSyncing false)",
      "type": "boolean"
     },
     "rpc_failures_total": {
      "minimum": 0,
      "type": "integer"
     },
     "rpc_requests_total": {
      "minimum": 0,
      "type": "integer"
     },
     "start_block": {
      "description": "first block the daemon synced",
      "minimum": 0,
      "type": "integer"
     },
     "updated_ms": {
      "description": "Unix ms",
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "chain",
     "is_syncing",
     "blocks_per_second",
     "rpc_requests_total",
     "rpc_failures_total",
     "updated_ms"
    ],
    "type": "object"
   },
   "Validator": {
    "properties": {
     "aura_key": {
      "type": "string"
     },
     "blocks_total": {
      "minimum": 0,
      "type": "integer"
     },
     "is_ours": {
      "type": "boolean"
     },
     "sidechain_key": {
      "type": "string"
     }
    },
    "required": [
     "chain",
     "sidechain_key",
     "is_ours",
     "is_permissioned",
     "blocks_total",
     "rank",
     "share_percent",
     "epoch_blocks",
     "epoch_seats",
     "epoch_committee_size",
     "epoch_expected_blocks"
    ],
    "type": "object"
   },
   "ValidatorDetail": {
    "properties": {
     "epochs": {
      "items": {
       "required": [
        "sidechain_epoch",
        "seats",
        "committee_size",
        "blocks_produced",
        "chain_blocks",
        "expected_blocks",
        "is_permissioned"
       ],
       "type": "object"
      },
      "type": "array"
     },
     "registration_history": {
      "items": {
       "required": [
        "status",
        "observed_ms"
       ],
       "type": "object"
      },
      "type": "array"
     },
     "validator": {
      "$ref": "#/components/schemas/Validator"
     }
    },
    "required": [
     "validator",
     "epochs",
     "registration_history"
    ],
    "type": "object"
   },
   "ValidatorPage": {
    "properties": {
     "total": {
      "minimum": 0,
      "type": "integer"
     },
     "total_blocks": {
      "minimum": 0,
      "type": "integer"
     },
     "validators": {
      "items": {
       "$ref": "#/components/schemas/Validator"
      },
      "type": "array"
     }
    },
    "required": [
     "validators",
     "total",
     "total_blocks"
    ],
    "type": "object"
   }
  },
  "securitySchemes": {
   "apiKey": {
    "in": "header",
    "name": "X-API-Key",
    "type": "apiKey"
   },
   "bearer": {
    "scheme": "bearer",
    "type": "http"
   }
  }
 },
 "info": {
  "description": "Read-only REST API of the Midnight Validator Monitor (see docs/api.md). All timestamps are Unix ms.",
  "title": "MVM API",
  "version": "1"
 },
 "openapi": "3.1.0",
 "paths": {
  "/api/v1/blocks": {
   "get": {
    "operationId": "listBlocks",
    "parameters": [
     {
      "description": "page size",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 50,
       "maximum": 1000,
       "minimum": 1,
       "type": "integer"
      }
     },
     {
      "description": "only blocks below this number (next page)",
      "in": "query",
      "name": "before",
      "required": false,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     },
     {
      "description": "the page right above this number (previous page)",
      "in": "query",
      "name": "after",
      "required": false,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     },
     {
      "description": "sidechain key",
      "in": "query",
      "name": "author",
      "required": false,
      "schema": {
       "pattern": "^(0[xX])?([0-9a-fA-F]{2}){1,128}$",
       "type": "string"
      }
     },
     {
      "description": "sidechain epoch",
      "in": "query",
      "name": "epoch",
      "required": false,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     },
     {
      "description": "finalized or not",
      "in": "query",
      "name": "finalized",
      "required": false,
      "schema": {
       "enum": [
        "true",
        "false",
        "1",
        "0"
       ],
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/BlockPage"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Blocks, newest first"
   }
  },
  "/api/v1/blocks/{number_or_hash}": {
   "get": {
    "operationId": "getBlock",
    "parameters": [
     {
      "description": "decimal block number or 0x + 64 hex digits",
      "in": "path",
      "name": "number_or_hash",
      "required": true,
      "schema": {
       "pattern": "^([0-9]{1,18}|0[xX][0-9a-fA-F]{64})$",
       "type": "string"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Block"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "One block by number or hash"
   }
  },
  "/api/v1/epochs": {
   "get": {
    "operationId": "listEpochs",
    "parameters": [
     {
      "description": "how many",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 20,
       "maximum": 1000,
       "minimum": 1,
       "type": "integer"
      }
     },
     {
      "description": "only epochs below this one",
      "in": "query",
      "name": "before",
      "required": false,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Epochs"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Recent epochs, newest first"
   }
  },
  "/api/v1/epochs/{id}": {
   "get": {
    "operationId": "getEpoch",
    "parameters": [
     {
      "description": "sidechain epoch",
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EpochSummary"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Epoch summary"
   }
  },
  "/api/v1/health": {
   "get": {
    "operationId": "health",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      },
      "description": "OK"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "security": [],
    "summary": "Readiness: database readable and the sync daemon made progress recently"
   }
  },
  "/api/v1/live": {
   "get": {
    "operationId": "live",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "properties": {
          "status": {
           "const": "alive"
          }
         },
         "required": [
          "status"
         ],
         "type": "object"
        }
       }
      },
      "description": "alive"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     }
    },
    "security": [],
    "summary": "Liveness: the process serves HTTP"
   }
  },
  "/api/v1/status": {
   "get": {
    "operationId": "status",
    "parameters": [
     {
      "description": "recent epochs to include",
      "in": "query",
      "name": "epochs",
      "required": false,
      "schema": {
       "default": 5,
       "maximum": 100,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Sync status, database stats, current and recent epochs"
   }
  },
  "/api/v1/validators": {
   "get": {
    "operationId": "listValidators",
    "parameters": [
     {
      "description": "only ours / not ours",
      "in": "query",
      "name": "ours",
      "required": false,
      "schema": {
       "enum": [
        "true",
        "false",
        "1",
        "0"
       ],
       "type": "string"
      }
     },
     {
      "description": "registered or permissioned",
      "in": "query",
      "name": "registered",
      "required": false,
      "schema": {
       "enum": [
        "true",
        "false",
        "1",
        "0"
       ],
       "type": "string"
      }
     },
     {
      "description": "only validators with blocks",
      "in": "query",
      "name": "producing",
      "required": false,
      "schema": {
       "enum": [
        "true",
        "false",
        "1",
        "0"
       ],
       "type": "string"
      }
     },
     {
      "description": "epoch of the epoch_* figures",
      "in": "query",
      "name": "epoch",
      "required": false,
      "schema": {
       "maximum": 9223372036854775807,
       "minimum": 0,
       "type": "integer"
      }
     },
     {
      "description": "sort order",
      "in": "query",
      "name": "sort",
      "required": false,
      "schema": {
       "default": "blocks",
       "enum": [
        "blocks",
        "epoch_blocks",
        "seats",
        "ratio",
        "key",
        "last_seen"
       ],
       "type": "string"
      }
     },
     {
      "description": "page size",
      "in": "query",
      "name": "limit",
      "required": false,
      "schema": {
       "default": 100,
       "maximum": 1000,
       "minimum": 1,
       "type": "integer"
      }
     },
     {
      "description": "rows to skip",
      "in": "query",
      "name": "offset",
      "required": false,
      "schema": {
       "default": 0,
       "maximum": 1000000,
       "minimum": 0,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ValidatorPage"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Validators with performance"
   }
  },
  "/api/v1/validators/ours": {
   "get": {
    "operationId": "ourValidators",
    "parameters": [],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/OurValidators"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "Our validators"
   }
  },
  "/api/v1/validators/{key}": {
   "get": {
    "operationId": "getValidator",
    "parameters": [
     {
      "description": "sidechain or AURA key, hex",
      "in": "path",
      "name": "key",
      "required": true,
      "schema": {
       "pattern": "^(0[xX])?([0-9a-fA-F]{2}){1,128}$",
       "type": "string"
      }
     },
     {
      "description": "epochs of history",
      "in": "query",
      "name": "history",
      "required": false,
      "schema": {
       "default": 100,
       "maximum": 1000,
       "minimum": 1,
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ValidatorDetail"
        }
       }
      },
      "description": "OK"
     },
     "400": {
      "$ref": "#/components/responses/E400"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "404": {
      "$ref": "#/components/responses/E404"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     },
     "503": {
      "$ref": "#/components/responses/E503"
     }
    },
    "summary": "One validator with per-epoch and registration history"
   }
  },
  "/metrics": {
   "get": {
    "operationId": "metrics",
    "responses": {
     "200": {
      "content": {
       "text/plain; version=0.0.4; charset=utf-8": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "metrics"
     },
     "401": {
      "$ref": "#/components/responses/E401"
     },
     "405": {
      "$ref": "#/components/responses/E405"
     },
     "429": {
      "$ref": "#/components/responses/E429"
     }
    },
    "summary": "Prometheus text exposition 0.0.4"
   }
  }
 },
 "security": [
  {
   "bearer": []
  },
  {
   "apiKey": []
  },
  {}
 ],
 "servers": [
  {
   "url": "/"
  }
 ]
}
"""##
}
