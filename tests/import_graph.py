"""The registry's import graph, by top-level module or package: `python -m tests.import_graph`
prints who imports whom and the cycles; tests/test_import_graph.py keeps it without cycles.

Imports inside functions count too (grimp sees them): a cycle hidden in a function is a cycle."""

import sys

import grimp

PACKAGE = "registry"


# Packages whose modules sit on different layers, so each is a unit of its own: the serving
# package's cache is below the names in a language (registry.local_names uses it), its warm-up
# above them (it builds them before a worker's first request).
PACKAGES_OF_LAYERS = ("registry.serving",)


def unit(module: str) -> str:
    """registry.api.views -> registry.api; registry.presentation -> registry.presentation;
    registry.serving.cache -> registry.serving.cache."""
    depth = 3 if module.startswith(tuple(f"{package}." for package in PACKAGES_OF_LAYERS)) else 2
    return ".".join(module.split(".")[:depth])


def graph() -> dict[str, set[str]]:
    modules = grimp.build_graph(PACKAGE)
    edges: dict[str, set[str]] = {}
    for module in modules.modules:
        if ".migrations" in module:
            continue
        source = unit(module)
        edges.setdefault(source, set())
        for imported in modules.find_modules_directly_imported_by(module):
            target = unit(imported)
            if target != source and ".migrations" not in imported:
                edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected groups of more than one unit (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(tuple(sorted(group)))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def modules_in_cycles() -> list[tuple[str, ...]]:
    """Cycles between single modules (registry.models.processes <-> registry.models.participations)."""
    modules = grimp.build_graph(PACKAGE)
    edges = {
        module: {m for m in modules.find_modules_directly_imported_by(module) if ".migrations" not in m}
        for module in modules.modules
        if ".migrations" not in module
    }
    return cycles(edges)


if __name__ == "__main__":
    edges = graph()
    for source in sorted(edges):
        print(f"{source} -> {', '.join(sorted(t.removeprefix('registry.') for t in edges[source]))}")
    print("cycles between units:", cycles(edges) or "none")
    print("cycles between modules:", modules_in_cycles() or "none")
