"""House rules checked over the public API (after scanpy's test_package_structure)."""

import inspect

import pytest

import takedown as td
from takedown import (
    cli,
    comparison,
    course,
    datasets,
    edges,
    graphs,
    interactive,
    measures,
    plot,
    read,
    report,
    schema,
    synth,
)

MODULES = [
    td,
    datasets,
    read,
    schema,
    cli,
    synth,
    edges,
    graphs,
    measures,
    plot,
    interactive,
    comparison,
    report,
    course,
]
# Where a second positional argument reads naturally: write(archive, folder).
SECOND_POSITIONAL = {
    ("takedown.synth", "write"): ["folder"],
    ("takedown.graphs", "write_gexf"): ["path"],
    ("takedown.graphs", "write_graphml"): ["path"],
    ("takedown.edges", "evidence"): ["archive", "a", "b"],  # as specified: evidence(pairs, archive, a, b)
    ("takedown.edges", "null_model"): ["archive"],
    ("takedown.interactive", "write_html"): ["path"],
    ("takedown.report", "write_report"): ["path"],
    ("takedown.course", "check"): ["answer"],
}
PUBLIC = sorted(
    {
        (module.__name__, name): getattr(module, name)
        for module in MODULES
        for name in module.__all__
        if inspect.isfunction(getattr(module, name))
    }.items()
)
METHODS = [
    ("Archive", "subset"),
    ("Archive", "load"),
    ("Archive", "arrow"),
    ("Archive", "codes"),
    ("Provenance", "files_frame"),
    ("Provenance", "skipped_frame"),
]


@pytest.mark.parametrize(("where", "function"), PUBLIC, ids=[f"{m}.{n}" for (m, n), _ in PUBLIC])
def test_options_are_keyword_only(where, function):
    parameters = list(inspect.signature(function).parameters.values())[1:]
    positional = [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    assert positional == SECOND_POSITIONAL.get(where, []), f"{where}: {positional} should be keyword-only"


@pytest.mark.parametrize(("where", "function"), PUBLIC, ids=[f"{m}.{n}" for (m, n), _ in PUBLIC])
def test_docstrings_have_runnable_examples(where, function):
    assert ">>> " in (function.__doc__ or ""), f"{where} has no Examples"


@pytest.mark.parametrize(("cls", "name"), METHODS)
def test_method_docstrings(cls, name):
    assert inspect.getdoc(getattr(getattr(td, cls), name))


def test_all_names_exist():
    for module in MODULES:
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
