"""A real `mockhaus serve` for the dbt tests, started as the driver tests start theirs."""

import importlib.util
import pathlib

import pytest

_spec = importlib.util.spec_from_file_location(
    "driver_conftest", pathlib.Path(__file__).parent.parent / "python" / "conftest.py"
)
_drivers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_drivers)


connection_params = _drivers.connection_params


@pytest.fixture(scope="session")
def server():
    started = _drivers.start_server()
    yield started
    _drivers.stop_server(started)
