"""Writes the OpenAPI document of the worker's REST API (served at /openapi.json):

    python3 scripts/openapi_gen.py > crates/connect-rest/src/openapi.json

Edit this script, not the JSON. A unit test in connect-rest checks that the document and the
router list the same operations; scripts/rest_checks.sh fuzzes the worker with it.
"""
import json
S = lambda name: {"$ref": f"#/components/schemas/{name}"}
def resp(desc, schema=None):
    r = {"description": desc}
    if schema is not None:
        r["content"] = {"application/json": {"schema": schema}}
    return r
ERR = lambda d: resp(d, S("ErrorMessage"))
name_param = {"name": "name", "in": "path", "required": True, "description": "The connector name.", "schema": {"type": "string"}, "example": "fuzz-source"}
task_param = {"name": "task", "in": "path", "required": True, "description": "The task id.", "schema": {"type": "integer", "minimum": 0}}
plugin_param = {"name": "plugin", "in": "path", "required": True, "description": "A plugin class name or alias (FileStreamSource).", "schema": {"type": "string"}, "example": "FileStreamSource"}
def body(schema, desc=None):
    b = {"required": True, "content": {"application/json": {"schema": schema}}}
    if desc: b["description"] = desc
    return b
def op(summary, responses, params=None, request=None, op_id=None, links=None, desc=None):
    o = {"summary": summary, "operationId": op_id, "responses": responses}
    if desc: o["description"] = desc
    if params: o["parameters"] = params
    if request: o["requestBody"] = request
    return o
paths = {
 "/": {"get": op("Worker version and Kafka cluster", {"200": resp("The worker", S("ServerInfo"))}, op_id="serverInfo")},
 "/health": {"get": op("Whether the worker finished starting", {"200": resp("Healthy", S("Health")), "503": resp("Still starting", S("Health"))}, op_id="health")},
 "/openapi.json": {"get": op("This document", {"200": resp("The OpenAPI document", {"type": "object"})}, op_id="openApi")},
 "/connectors": {
   "get": op("Connector names, or with expand their status and info", {"200": resp("Names, or a map of name to status/info", {"oneOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object", "additionalProperties": S("ExpandedConnector")}]})},
             params=[{"name": "expand", "in": "query", "required": False, "description": "status and/or info (repeatable); other values are ignored.", "schema": {"type": "array", "items": {"type": "string", "enum": ["status", "info"]}}, "style": "form", "explode": True}], op_id="listConnectors"),
   "post": op("Create a connector", {"201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}, "description": "The connector's URL"}}, "content": {"application/json": {"schema": S("ConnectorInfo")}},
               "links": {"GetConnector": {"operationId": "getConnector", "parameters": {"name": "$response.body#/name"}}, "ConnectorStatus": {"operationId": "connectorStatus", "parameters": {"name": "$response.body#/name"}}, "DeleteConnector": {"operationId": "deleteConnector", "parameters": {"name": "$response.body#/name"}}}},
              "400": ERR("Invalid request or config: every error at once"), "409": ERR("A connector of that name exists")},
              request=body(S("CreateConnectorRequest")), op_id="createConnector")},
 "/connectors/{name}": {
   "parameters": [name_param],
   "get": op("A connector's config and tasks", {"200": resp("The connector", S("ConnectorInfo")), "404": ERR("Unknown connector")}, op_id="getConnector"),
   "delete": op("Delete a connector (its offsets stay)", {"204": resp("Deleted"), "404": ERR("Unknown connector")}, op_id="deleteConnector")},
 "/connectors/{name}/config": {
   "parameters": [name_param],
   "get": op("A connector's config as written (config provider references unresolved, secrets hidden)", {"200": resp("The config", S("ConfigMap")), "404": ERR("Unknown connector")}, op_id="getConnectorConfig"),
   "put": op("Create or reconfigure a connector", {"200": resp("Reconfigured", S("ConnectorInfo")), "201": {"description": "Created", "headers": {"Location": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": S("ConnectorInfo")}}}, "400": ERR("Invalid config, or a name that is not the URL's")}, request=body(S("ConfigMap")), op_id="putConnectorConfig"),
   "patch": op("Change some keys of a connector's config (null removes a key)", {"200": resp("Reconfigured", S("ConnectorInfo")), "400": ERR("Invalid config"), "404": ERR("Unknown connector")}, request=body(S("ConfigPatch")), op_id="patchConnectorConfig")},
 "/connectors/{name}/status": {"parameters": [name_param], "get": op("A connector's and its tasks' states", {"200": resp("The status", S("ConnectorStateInfo")), "404": ERR("Unknown connector")}, op_id="connectorStatus")},
 "/connectors/{name}/tasks": {"parameters": [name_param], "get": op("A connector's task configs", {"200": resp("The tasks", {"type": "array", "items": S("TaskInfo")}), "404": ERR("Unknown connector")}, op_id="connectorTasks")},
 "/connectors/{name}/tasks-config": {"parameters": [name_param], "get": {**op("Task configs by task id (deprecated by KIP-970: use /tasks)", {"200": resp("connector-task to config", {"type": "object", "additionalProperties": S("ConfigMap")}), "404": ERR("Unknown connector")}, op_id="tasksConfig"), "deprecated": True}},
 "/connectors/{name}/tasks/{task}/status": {"parameters": [name_param, task_param], "get": op("A task's state", {"200": resp("The state", S("TaskState")), "404": ERR("Unknown connector or task")}, op_id="taskStatus")},
 "/connectors/{name}/restart": {"parameters": [name_param], "post": op("Restart a connector, and with includeTasks its tasks", {"202": resp("What restarts shows RESTARTING", S("ConnectorStateInfo")), "204": resp("The connector restarted"), "404": ERR("Unknown connector")},
     params=[{"name": "includeTasks", "in": "query", "required": False, "schema": {"type": "boolean", "default": False}}, {"name": "onlyFailed", "in": "query", "required": False, "schema": {"type": "boolean", "default": False}}], op_id="restartConnector")},
 "/connectors/{name}/tasks/{task}/restart": {"parameters": [name_param, task_param], "post": op("Restart one task", {"204": resp("Restarted"), "404": ERR("Unknown connector or task")}, op_id="restartTask")},
 "/connectors/{name}/pause": {"parameters": [name_param], "put": op("Pause a connector and its tasks", {"202": resp("Pausing"), "404": ERR("Unknown connector")}, op_id="pauseConnector")},
 "/connectors/{name}/resume": {"parameters": [name_param], "put": op("Resume a paused or stopped connector", {"202": resp("Resuming"), "404": ERR("Unknown connector")}, op_id="resumeConnector")},
 "/connectors/{name}/stop": {"parameters": [name_param], "put": op("Stop a connector: its tasks are removed, config and offsets stay", {"204": resp("Stopped"), "404": ERR("Unknown connector")}, op_id="stopConnector")},
 "/connectors/{name}/offsets": {
   "parameters": [name_param],
   "get": op("A connector's offsets (source: its partitions; sink: its consumer group's)", {"200": resp("The offsets", S("ConnectorOffsets")), "404": ERR("Unknown connector")}, op_id="getOffsets"),
   "patch": op("Alter offsets of a stopped connector (a null offset resets its partition)", {"200": resp("Altered", S("Message")), "400": ERR("Not stopped, no offsets given, or offsets the connector refuses"), "404": ERR("Unknown connector")}, request=body(S("ConnectorOffsets")), op_id="alterOffsets"),
   "delete": op("Reset every offset of a stopped connector", {"200": resp("Reset", S("Message")), "400": ERR("Not stopped"), "404": ERR("Unknown connector")}, op_id="resetOffsets")},
 "/admin/loggers": {"get": op("The loggers with a level of their own, and root", {"200": resp("Logger name to level", {"type": "object", "additionalProperties": S("LoggerLevel")})}, op_id="listLoggers")},
 "/admin/loggers/{logger}": {
   "parameters": [{"name": "logger", "in": "path", "required": True, "description": "A log target (connect_runtime, librdkafka, ...) or root.", "schema": {"type": "string"}, "example": "connect_runtime"}],
   "get": op("A logger's level", {"200": resp("The level", S("LoggerLevel")), "404": ERR("Unknown logger")}, op_id="getLogger"),
   "put": op("Set a logger's level (and its descendants')", {"200": resp("The loggers it applies to", {"type": "array", "items": {"type": "string"}}), "204": resp("Set (cluster scope)"), "400": ERR("No level given"), "404": ERR("Not a log4j level")},
             params=[{"name": "scope", "in": "query", "required": False, "schema": {"type": "string", "enum": ["worker", "cluster"], "default": "worker"}}], request=body(S("LevelRequest")), op_id="setLogger")},
 "/connectors/{name}/topics": {"parameters": [name_param], "get": op("The topics the connector used since it was created or its topics were reset", {"200": resp("Connector name to its topics", {"type": "object", "additionalProperties": S("ActiveTopics")}), "403": ERR("Topic tracking is disabled"), "404": ERR("Unknown connector")}, op_id="connectorTopics")},
 "/connectors/{name}/topics/reset": {"parameters": [name_param], "put": op("Forget the topics the connector used", {"202": resp("Reset"), "403": ERR("Topic tracking or its reset is disabled"), "404": ERR("Unknown connector")}, op_id="resetConnectorTopics")},
 "/connector-plugins": {"get": op("The plugins", {"200": resp("The plugins", {"type": "array", "items": S("PluginInfo")})},
     params=[{"name": "connectorsOnly", "in": "query", "required": False, "description": "false lists transformations, predicates and converters too.", "schema": {"type": "boolean", "default": True}}], op_id="listPlugins")},
 "/connector-plugins/{plugin}/config": {"parameters": [plugin_param], "get": op("A plugin's config keys (connector, transformation, predicate or converter)", {"200": resp("The keys", {"type": "array", "items": S("ConfigKeyInfo")}), "404": ERR("Unknown plugin")}, op_id="pluginConfig")},
 "/connector-plugins/{plugin}/config/validate": {"parameters": [plugin_param], "put": op("Validate a connector config: every error, each on its key", {"200": resp("The validation (also when the config has errors)", S("ConfigInfos")), "400": ERR("Invalid body, no or another connector class")}, request=body(S("ConfigMap")), op_id="validateConfig")},
}
string_map = {"type": "object", "additionalProperties": {"type": "string"}}
example_config = {"connector.class": "FileStreamSource", "file": "fuzz-input.txt", "topic": "fuzz-topic", "topic.creation.default.partitions": "1", "topic.creation.default.replication.factor": "1"}
state = {"type": "string", "enum": ["UNASSIGNED", "RUNNING", "PAUSED", "FAILED", "RESTARTING", "STOPPED"]}
schemas = {
 "ErrorMessage": {"type": "object", "required": ["error_code", "message"], "properties": {"error_code": {"type": "integer"}, "message": {"type": "string", "nullable": True}}},
 "Message": {"type": "object", "required": ["message"], "properties": {"message": {"type": "string"}}},
 "ServerInfo": {"type": "object", "required": ["version", "commit", "kafka_cluster_id"], "properties": {"version": {"type": "string"}, "commit": {"type": "string"}, "kafka_cluster_id": {"type": "string", "nullable": True}}},
 "Health": {"type": "object", "required": ["status", "message"], "properties": {"status": {"type": "string", "enum": ["healthy", "starting", "unhealthy"]}, "message": {"type": "string"}}},
 "ConfigMap": {**string_map, "description": "A connector config: string keys and values (numbers and booleans are taken as their text).", "example": example_config},
 "ConfigPatch": {"type": "object", "additionalProperties": {"type": "string", "nullable": True}, "description": "Keys to set; null removes a key."},
 "CreateConnectorRequest": {"type": "object", "required": ["name", "config"], "additionalProperties": False, "properties": {"name": {"type": "string"}, "config": S("ConfigMap"), "initial_state": {"type": "string", "enum": ["RUNNING", "PAUSED", "STOPPED"], "description": "Case-insensitive; RUNNING when absent."}}, "example": {"name": "fuzz-created", "config": example_config, "initial_state": "RUNNING"}},
 "ConnectorTaskId": {"type": "object", "required": ["connector", "task"], "properties": {"connector": {"type": "string"}, "task": {"type": "integer"}}},
 "ConnectorInfo": {"type": "object", "required": ["name", "config", "tasks", "type"], "properties": {"name": {"type": "string"}, "config": S("ConfigMap"), "tasks": {"type": "array", "items": S("ConnectorTaskId")}, "type": {"type": "string", "enum": ["source", "sink", "unknown"]}}},
 "TaskInfo": {"type": "object", "required": ["id", "config"], "properties": {"id": S("ConnectorTaskId"), "config": S("ConfigMap")}},
 "ConnectorState": {"type": "object", "required": ["state", "worker_id"], "properties": {"state": state, "worker_id": {"type": "string"}, "trace": {"type": "string"}}},
 "TaskState": {"type": "object", "required": ["id", "state", "worker_id"], "properties": {"id": {"type": "integer"}, "state": state, "worker_id": {"type": "string"}, "trace": {"type": "string"}}},
 "ConnectorStateInfo": {"type": "object", "required": ["name", "connector", "tasks", "type"], "properties": {"name": {"type": "string"}, "connector": S("ConnectorState"), "tasks": {"type": "array", "items": S("TaskState")}, "type": {"type": "string", "enum": ["source", "sink", "unknown"]}}},
 "ExpandedConnector": {"type": "object", "properties": {"status": S("ConnectorStateInfo"), "info": S("ConnectorInfo")}},
 "ConnectorOffset": {"type": "object", "required": ["partition"], "additionalProperties": False, "properties": {"partition": {"type": "object", "nullable": True, "additionalProperties": True}, "offset": {"type": "object", "nullable": True, "additionalProperties": True}}},
 "ConnectorOffsets": {"type": "object", "required": ["offsets"], "additionalProperties": False, "properties": {"offsets": {"type": "array", "items": S("ConnectorOffset")}}, "example": {"offsets": [{"partition": {"filename": "fuzz-input.txt"}, "offset": {"position": 0}}]}},
 "ActiveTopics": {"type": "object", "required": ["topics"], "properties": {"topics": {"type": "array", "items": {"type": "string"}}}},
 "LoggerLevel": {"type": "object", "required": ["level", "last_modified"], "properties": {"level": {"type": "string"}, "last_modified": {"type": "integer", "nullable": True}}},
 "LevelRequest": {"type": "object", "required": ["level"], "properties": {"level": {"type": "string", "enum": ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF", "ALL"]}}, "example": {"level": "INFO"}},
 "PluginInfo": {"type": "object", "required": ["class", "type"], "properties": {"class": {"type": "string"}, "type": {"type": "string", "enum": ["source", "sink", "transformation", "predicate", "converter", "header_converter"]}, "version": {"type": "string"}}},
 "ConfigKeyInfo": {"type": "object", "required": ["name", "type", "required", "default_value", "importance", "documentation", "group", "width", "display_name", "dependents", "order"], "properties": {
    "name": {"type": "string"}, "type": {"type": "string"}, "required": {"type": "boolean"}, "default_value": {"type": "string", "nullable": True}, "importance": {"type": "string"}, "documentation": {"type": "string", "nullable": True}, "group": {"type": "string", "nullable": True}, "width": {"type": "string"}, "display_name": {"type": "string"}, "dependents": {"type": "array", "items": {"type": "string"}}, "order": {"type": "integer"}}},
 "ConfigValueInfo": {"type": "object", "required": ["name", "value", "recommended_values", "errors", "visible"], "properties": {"name": {"type": "string"}, "value": {"type": "string", "nullable": True}, "recommended_values": {"type": "array", "items": {"type": "string"}}, "errors": {"type": "array", "items": {"type": "string"}}, "visible": {"type": "boolean"}}},
 "ConfigInfo": {"type": "object", "required": ["definition", "value"], "properties": {"definition": {"allOf": [S("ConfigKeyInfo")], "nullable": True}, "value": {"allOf": [S("ConfigValueInfo")], "nullable": True}}},
 "ConfigInfos": {"type": "object", "required": ["name", "error_count", "groups", "configs"], "properties": {"name": {"type": "string"}, "error_count": {"type": "integer"}, "groups": {"type": "array", "items": {"type": "string"}}, "configs": {"type": "array", "items": S("ConfigInfo")}}},
}
doc = {"openapi": "3.0.3",
 "info": {"title": "Ferry worker REST API", "version": "3.9.0",
          "description": "Kafka Connect's REST API as Ferry serves it: the same paths, JSON shapes, status codes and {\"error_code\",\"message\"} errors. A malformed request body is a 400 naming what is wrong. /openapi.json is Ferry's own addition."},
 "paths": paths, "components": {"schemas": schemas}}
print(json.dumps(doc, indent=2))
