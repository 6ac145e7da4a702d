"""Service mode as deployed: three `mockhaus control-plane` processes replicating tenants,
users and tokens with Raft, and `mockhaus data-node` processes that check logins there.

The real Python connector logs in through a data node; the control-plane leader is killed
under a stream of admin writes; a data node is killed and its tenants move."""

import json
import os
import re
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
import snowflake.connector

ADMIN_TOKEN = "test-admin-token"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what, condition, timeout=20.0):
    """Polls `condition` until it returns something truthy; fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = condition()
            if value:
                return value
        except (OSError, urllib.error.URLError, ValueError, KeyError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def start(*args):
    """Starts `mockhaus <args>` and waits for the line that says it is listening."""
    proc = subprocess.Popen(
        [os.environ["MOCKHAUS_BIN"], *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    assert "http://" in line, f"mockhaus {args[0]} printed: {line!r}"
    return proc, line


def admin(url, method, path, body=None):
    request = urllib.request.Request(
        f"{url}/admin/v1/{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def cli(url, *args):
    return subprocess.run(
        [os.environ["MOCKHAUS_BIN"], "admin", "--url", url, "--token", ADMIN_TOKEN, *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


class ControlPlane:
    def __init__(self, tmp_path, size=3, lease_ttl_secs=2):
        self.nodes = {}
        self.grpc = {i: f"127.0.0.1:{free_port()}" for i in range(1, size + 1)}
        self.admin_urls = {i: f"http://127.0.0.1:{free_port()}" for i in range(1, size + 1)}
        self.tmp_path = tmp_path
        self.lease_ttl_secs = lease_ttl_secs
        for node in self.grpc:
            self.start(node)

    def start(self, node):
        bootstrap = ",".join(f"{i}={address}" for i, address in self.grpc.items())
        proc, _ = start(
            "control-plane", "--id", str(node), "--listen", self.grpc[node],
            "--admin-listen", self.admin_urls[node].removeprefix("http://"),
            "--data-dir", str(self.tmp_path / f"cp{node}"), "--bootstrap", bootstrap,
            "--admin-token", ADMIN_TOKEN, "--lease-ttl-secs", str(self.lease_ttl_secs),
        )
        self.nodes[node] = proc

    def kill(self, node):
        self.nodes[node].send_signal(signal.SIGKILL)
        self.nodes[node].wait(timeout=10)

    def leader(self, among=None):
        """The leader every running node agrees on."""
        def agreed():
            running = among or [i for i, p in self.nodes.items() if p.poll() is None]
            leaders = {admin(self.admin_urls[i], "GET", "cluster")[1]["leader"] for i in running}
            (leader,) = leaders
            return leader if leader in running else None
        return wait_for("an agreed leader", agreed)

    def stop(self):
        for proc in self.nodes.values():
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)


@pytest.fixture
def control_plane(tmp_path):
    cluster = ControlPlane(tmp_path)
    cluster.leader()
    yield cluster
    cluster.stop()


@pytest.fixture
def data_nodes(control_plane):
    started = []

    def _start(node_id):
        proc, line = start(
            "data-node", "--control-plane", ",".join(control_plane.grpc.values()),
            "--node-id", node_id, "--port", "0", "--credential-cache-secs", "0",
        )
        host, port = re.search(r"http://([\d.]+):(\d+)", line).groups()
        node = {"proc": proc, "host": host, "port": int(port), "id": node_id}
        started.append(node)
        return node

    yield _start
    for node in started:
        if node["proc"].poll() is None:
            node["proc"].terminate()
            node["proc"].wait(timeout=10)


def connect(node, **credentials):
    return snowflake.connector.connect(
        host=node["host"], port=node["port"], protocol="http",
        network_timeout=20, login_timeout=20, **credentials,
    )


def test_logins_are_checked_by_a_replicated_control_plane(control_plane, data_nodes):
    url = control_plane.admin_urls[1]
    assert cli(url, "tenant", "create", "acme").returncode == 0
    created = cli(url, "user", "create", "--tenant", "acme", "ann", "--password", "s3cret")
    assert created.returncode == 0, created.stderr
    node = data_nodes("dn1")

    with connect(node, account="acme", user="ann", password="s3cret") as conn:
        cur = conn.cursor()
        cur.execute("create database d")
        cur.execute("create table t (x int)")
        cur.execute("insert into t values (1), (2)")
        assert cur.execute("select sum(x) from t").fetchone() == (3,)
        assert cur.execute("select current_user(), current_role()").fetchone() == ("ANN", "PUBLIC")

    # A role in the connect string must be granted to the user.
    with pytest.raises(snowflake.connector.errors.DatabaseError) as ungranted:
        connect(node, account="acme", user="ann", password="s3cret", role="analyst")
    assert ungranted.value.errno == 390189
    assert "not granted to this user" in str(ungranted.value)
    assert admin(url, "POST", "tenants/acme/roles", {"name": "analyst"})[0] == 201
    assert admin(url, "POST", "tenants/acme/roles/analyst/grants", {"user": "ann"})[0] == 204
    with connect(node, account="acme", user="ann", password="s3cret", role="analyst") as conn:
        assert conn.cursor().execute("select current_role()").fetchone() == ("ANALYST",)

    with pytest.raises(snowflake.connector.errors.DatabaseError) as refused:
        connect(node, account="acme", user="ann", password="wrong")
    assert refused.value.errno == 390100
    with pytest.raises(snowflake.connector.errors.DatabaseError) as unknown:
        connect(node, account="nosuch", user="ann", password="s3cret")
    assert unknown.value.errno == 390100
    assert "does not exist" in str(unknown.value)

    # A programmatic access token: accepted until revoked.
    issued = cli(url, "token", "create", "--tenant", "acme", "--user", "ann", "--name", "ci")
    assert issued.returncode == 0, issued.stderr
    token = json.loads(issued.stdout)
    with connect(node, account="acme", user="ann", authenticator="PROGRAMMATIC_ACCESS_TOKEN", token=token["secret"]) as conn:
        assert conn.cursor().execute("select 1").fetchone() == (1,)
    assert cli(url, "token", "revoke", "--tenant", "acme", token["id"]).returncode == 0
    with pytest.raises(snowflake.connector.errors.DatabaseError) as revoked:
        connect(node, account="acme", user="ann", authenticator="PROGRAMMATIC_ACCESS_TOKEN", token=token["secret"])
    assert revoked.value.errno == 390100


def test_killing_the_leader_loses_no_acknowledged_write_and_logins_go_on(control_plane, data_nodes):
    old_leader = control_plane.leader()
    writer_node = next(i for i in control_plane.grpc if i != old_leader)
    url = control_plane.admin_urls[writer_node]
    assert admin(url, "POST", "tenants", {"name": "acme"})[0] == 201
    assert admin(url, "POST", "tenants/acme/users", {"name": "ann", "password": "pw"})[0] == 201
    node = data_nodes("dn1")

    acknowledged, stop = [], threading.Event()

    def write_steadily():
        n = 0
        while not stop.is_set():
            n += 1
            status, _ = admin(url, "POST", "tenants", {"name": f"w{n}"})
            if status == 201:
                acknowledged.append(f"W{n}")

    writer = threading.Thread(target=write_steadily)
    writer.start()
    wait_for("writes before the kill", lambda: len(acknowledged) >= 10)
    killed_at = time.monotonic()
    control_plane.kill(old_leader)
    survivors = [i for i in control_plane.grpc if i != old_leader]
    new_leader = control_plane.leader(among=survivors)
    failover = time.monotonic() - killed_at
    before = len(acknowledged)
    wait_for("writes after the kill", lambda: len(acknowledged) >= before + 10)
    stop.set()
    writer.join()

    assert new_leader != old_leader
    assert failover < 10, f"failover took {failover:.1f} s"
    _, tenants = admin(url, "GET", "tenants")
    stored = {t["name"] for t in tenants}
    lost = [name for name in acknowledged if name not in stored]
    assert not lost, f"acknowledged but lost: {lost}"

    # Logins keep working through the surviving majority.
    with connect(node, account="acme", user="ann", password="pw") as conn:
        assert conn.cursor().execute("select 42").fetchone() == (42,)

    # The killed node restarts from its disk and catches up.
    control_plane.start(old_leader)
    restarted_url = control_plane.admin_urls[old_leader]
    wait_for("the restarted node to catch up", lambda: {
        t["name"] for t in admin(restarted_url, "GET", "tenants")[1]
    } >= stored)


def test_a_dead_data_nodes_tenants_move_to_a_live_one(control_plane, data_nodes):
    url = control_plane.admin_urls[1]
    first = data_nodes("dn1")
    assert admin(url, "POST", "tenants", {"name": "acme"})[0] == 201
    assert admin(url, "POST", "tenants/acme/users", {"name": "ann", "password": "pw"})[0] == 201
    second = data_nodes("dn2")

    def holder():
        _, tenants = admin(url, "GET", "tenants")
        return next(t for t in tenants if t["name"] == "ACME")

    first_assignment = holder()
    owner = first if first_assignment["node"] == "dn1" else second
    other = second if owner is first else first
    with pytest.raises(snowflake.connector.errors.DatabaseError) as elsewhere:
        connect(other, account="acme", user="ann", password="pw")
    assert "served by another data node" in str(elsewhere.value)

    owner["proc"].send_signal(signal.SIGKILL)
    owner["proc"].wait(timeout=10)
    moved = wait_for("acme to move", lambda: (lambda t: t if t["node"] == other["id"] else None)(holder()))
    assert moved["generation"] > first_assignment["generation"]
    with connect(other, account="acme", user="ann", password="pw") as conn:
        assert conn.cursor().execute("select 1").fetchone() == (1,)


def test_serve_in_service_mode_creates_an_admin_once_and_keeps_it(tmp_path):
    def serve():
        proc = subprocess.Popen(
            [os.environ["MOCKHAUS_BIN"], "serve", "--mode", "service", "--data-dir", str(tmp_path),
             "--port", "0", "--admin-port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        lines = []
        while not lines or "listening on" not in lines[-1]:
            line = proc.stdout.readline()
            assert line, f"serve exited early after {lines}"
            lines.append(line)
        port = int(re.search(r"listening on http://[\d.]+:(\d+)", lines[-1]).group(1))
        return proc, port, "".join(lines)

    proc, port, printed = serve()
    password = re.search(r"user ADMIN, password (\w+)", printed).group(1)
    node = {"host": "127.0.0.1", "port": port}
    try:
        with connect(node, account="mockhaus", user="admin", password=password) as conn:
            assert conn.cursor().execute("select current_role()").fetchone() == ("ACCOUNTADMIN",)
        with pytest.raises(snowflake.connector.errors.DatabaseError) as refused:
            connect(node, account="mockhaus", user="admin", password="guess")
        assert refused.value.errno == 390100
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    proc, port, printed = serve()
    try:
        assert "password" not in printed, "the first-start password is printed once"
        with connect({"host": "127.0.0.1", "port": port}, account="mockhaus", user="admin", password=password) as conn:
            assert conn.cursor().execute("select 1").fetchone() == (1,)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
