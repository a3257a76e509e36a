"""The import graph has no cycles, between packages or between single modules, and every
top-level module and package sits on a layer of import-linter's contract (pyproject.toml, checked
by `make lint`): a module added outside the layers would escape it."""

import re
import tomllib
from pathlib import Path

from .import_graph import cycles, graph, modules_in_cycles


def test_no_cycles_between_the_registrys_packages_and_modules():
    assert cycles(graph()) == []
    assert modules_in_cycles() == []


def test_every_module_sits_on_a_layer():
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    (layers,) = [c["layers"] for c in project["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    on_layers = {name for layer in layers for name in re.split(r"[|:]", layer.replace(" ", ""))}
    units = set(graph()) - {"registry", "registry.serving", "registry.migrations"}
    assert units - on_layers == set()


def test_the_models_and_the_cache_import_no_interface():
    edges = graph()
    interfaces = {"registry.admin", "registry.api", "registry.views", "registry.management"}
    for lower in ("registry.models", "registry.filtersets", "registry.exports", "registry.serving.cache"):
        assert not edges[lower] & interfaces, lower
