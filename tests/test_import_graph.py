"""The import graph has no cycles, between packages or between single modules (the layers
themselves are import-linter's contracts in pyproject.toml, run by `make lint`)."""

from .import_graph import cycles, graph, modules_in_cycles


def test_no_cycles_between_the_registrys_packages_and_modules():
    assert cycles(graph()) == []
    assert modules_in_cycles() == []


def test_the_models_and_the_cache_import_no_interface():
    edges = graph()
    interfaces = {"registry.admin", "registry.api", "registry.views", "registry.management"}
    for lower in ("registry.models", "registry.filtersets", "registry.exports", "registry.cache"):
        assert not edges[lower] & interfaces, lower
