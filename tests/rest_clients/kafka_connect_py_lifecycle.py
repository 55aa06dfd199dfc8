"""A connector's whole life driven through a published Kafka Connect REST client, as a new
user would: kafka-connect-py (PyPI, https://github.com/aidanmelen/kafka-connect-py).

    python kafka_connect_py_lifecycle.py BASE_URL WORK_DIR

The library has no offsets methods (KIP-875); those calls go through `requests` with the
client's own session settings, as its README suggests for endpoints it lacks. Exits non-zero
with the reason on the first thing that is not as Kafka Connect would answer.
"""

import sys
import time
import uuid

import requests
from kafka_connect import KafkaConnect

base, work = sys.argv[1], sys.argv[2]
kc = KafkaConnect(url=base)
http = requests.Session()
name = f"kcpy-{uuid.uuid4().hex[:8]}"
source_file = f"{work}/kcpy-input.txt"
with open(source_file, "w") as f:
    f.write("".join(f"line {i}\n" for i in range(10)))


def wait_state(connector_state, task_states, timeout=60):
    deadline = time.time() + timeout
    status = None
    while time.time() < deadline:
        status = kc.get_connector_status(name)
        tasks = [t["state"] for t in status["tasks"]]
        if status["connector"]["state"] == connector_state and tasks == task_states:
            return status
        time.sleep(0.1)
    raise SystemExit(f"{name} never reached {connector_state}/{task_states}: {status}")


def offsets(method, body=None):
    r = http.request(method, f"{base}/connectors/{name}/offsets", json=body, timeout=60)
    if r.status_code != 200:
        raise SystemExit(f"{method} offsets: {r.status_code} {r.text}")
    return r.json()


plugins = [p["class"] for p in kc.list_connector_plugins()]
assert "org.apache.kafka.connect.file.FileStreamSourceConnector" in plugins, plugins

config = {
    "connector.class": "FileStreamSource",
    "file": source_file,
    "topic": name,
    "topic.creation.default.partitions": "1",
    "topic.creation.default.replication.factor": "1",
}
validation = kc.validate_connector_config("FileStreamSource", dict(config, name=name))
assert validation["error_count"] == 0, validation

created = kc.create_connector({"name": name, "config": config})
assert created["name"] == name and created["type"] == "source", created
assert name in kc.list_connectors()
wait_state("RUNNING", ["RUNNING"])

kc.pause_connector(name)
wait_state("PAUSED", ["PAUSED"])
kc.resume_connector(name)
wait_state("RUNNING", ["RUNNING"])

# the library always sends includeTasks/onlyFailed (as False/True): a plain restart is a 204
assert kc.restart_connector(name) is None
wait_state("RUNNING", ["RUNNING"])
planned = kc.restart_connector(name, include_tasks=True)
assert planned["connector"]["state"] == "RESTARTING", planned
assert [t["state"] for t in planned["tasks"]] == ["RESTARTING"], planned
wait_state("RUNNING", ["RUNNING"])
kc.restart_connector_task(name, 0)
wait_state("RUNNING", ["RUNNING"])

updated = kc.update_connector(name, dict(config, **{"batch.size": "5"}))
assert updated["config"]["batch.size"] == "5", updated
wait_state("RUNNING", ["RUNNING"])

kc.stop_connector(name)
stopped = wait_state("STOPPED", [])
assert kc.list_connector_tasks(name) == [], "a stopped connector has no tasks"
read = offsets("GET")["offsets"]
assert read == [{"partition": {"filename": source_file}, "offset": {"position": 70}}], read
altered = offsets("PATCH", {"offsets": [{"partition": {"filename": source_file}, "offset": {"position": 7}}]})
assert "altered successfully" in altered["message"], altered
assert offsets("GET")["offsets"][0]["offset"] == {"position": 7}
reset = offsets("DELETE")
assert "reset successfully" in reset["message"], reset
assert offsets("GET")["offsets"] == []

kc.delete_connector(name)
assert name not in kc.list_connectors()
try:
    kc.get_connector_status(name)
    raise SystemExit("the deleted connector still has a status")
except requests.HTTPError as e:
    assert e.response.status_code == 404, e.response.text
    assert e.response.json()["error_code"] == 404
print(f"kafka-connect-py lifecycle of {name}: ok")
