"""Starts a real `mockhaus serve` process on a free port for the whole test session and
hands each test connection parameters for an account of its own (accounts are isolated)."""

import os
import re
import subprocess
import uuid

import pytest

os.environ.setdefault("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true")


def start_server(*extra_args):
    binary = os.environ["MOCKHAUS_BIN"]
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0", "--memory", *extra_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    match = re.search(r"http://([\d.]+):(\d+)", line)
    assert match, f"mockhaus serve printed no address: {line!r}"
    return {"host": match.group(1), "port": int(match.group(2)), "process": proc}


def stop_server(server):
    server["process"].terminate()
    server["process"].wait(timeout=10)


@pytest.fixture(scope="session")
def server():
    started = start_server()
    yield started
    stop_server(started)


@pytest.fixture
def short_lived_server():
    """A server whose session tokens live 1 s and master tokens 4 s."""
    started = start_server("--session-validity-secs", "1", "--master-validity-secs", "4")
    yield started
    stop_server(started)


@pytest.fixture
def account():
    """A fresh account name: a fresh, isolated Snowflake account."""
    return "t" + uuid.uuid4().hex[:12]


def connection_params(server, account):
    """The Python connector's parameters for `account` on a started server."""
    return dict(
        account=account,
        user="tester",
        password="secret",
        host=server["host"],
        port=server["port"],
        protocol="http",
        network_timeout=10,
        login_timeout=10,
    )


@pytest.fixture
def connect(server, account):
    import snowflake.connector

    opened = []

    def _connect(**overrides):
        params = connection_params(server, account)
        params.update(overrides)
        conn = snowflake.connector.connect(**params)
        opened.append(conn)
        return conn

    yield _connect
    for conn in opened:
        conn.close()


@pytest.fixture
def cursor(connect):
    conn = connect()
    cur = conn.cursor()
    cur.execute("create database testdb")
    yield cur
