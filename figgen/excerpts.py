"""The few lines of a module that matter, marked in its source for the provenance block.

An author puts a marker comment right above a statement:

    # figgen-show: La passe avant : la dernière sortie cachée, lue par une couche linéaire
    return self.readout(self.states(x)[:, -1])

and the folded block under each figure shows that statement (all of it: a marked `def` or `for`
brings its body) and the statements that follow it at its level up to the next blank line (a
paragraph of code), under the label, before the whole files. A marker is a comment, so adding,
moving or rewording one changes no key (figgen/code_digest.py): nothing retrains or redraws.
A marker that stands above no statement (inside a bracket, at the end of a file) shows nothing.
"""

from __future__ import annotations

import ast
import re
import textwrap

MARKER = re.compile(r"^[ \t]*#[ \t]*figgen-show:[ \t]*(?P<label>\S.*?)[ \t]*$")


def excerpts(source: str) -> list[dict]:
    """[{"label", "line", "code"}], in the file's order: each marked statement, dedented, with
    the number of its first line in the file."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as ast counts lines (not \f)
    marked = [(number, found["label"]) for number, line in enumerate(lines, 1) if (found := MARKER.match(line))]
    if not marked:
        return []
    try:
        spans = _statement_spans(source)
    except (SyntaxError, ValueError):
        return []  # the build reports a module that does not parse; its markers show nothing
    shown = []
    for number, label in marked:
        start = _next_code_line(lines, number)
        if start is None or start not in spans:
            continue
        end = _paragraph_end(lines, spans, start)
        shown.append({"label": label, "line": start, "code": textwrap.dedent("\n".join(lines[start - 1:end]))})
    return shown


def _statement_spans(source: str) -> dict[int, int]:
    """First line of each statement (a decorator's, for a decorated one) -> its last line."""
    spans: dict[int, int] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            first = min([node.lineno, *(d.lineno for d in decorators)])
            spans[first] = max(spans.get(first, 0), node.end_lineno or node.lineno)
    return spans


def _paragraph_end(lines: list[str], spans: dict[int, int], start: int) -> int:
    """The last line of the paragraph of code that starts at `start`: its statement, then each
    statement that follows at the same indentation with no blank line between (comments pass)."""
    indent = _indentation(lines[start - 1])
    end = spans[start]
    while True:
        following = _next_code_line(lines, end, through_blank=False)
        if following is None or following not in spans or _indentation(lines[following - 1]) != indent:
            return end
        end = spans[following]


def _indentation(line: str) -> int:
    return len(line) - len(line.lstrip())


def _next_code_line(lines: list[str], after: int, through_blank: bool = True) -> int | None:
    """The first line after `after` that is neither blank nor a comment (1-based); None at the
    end of the file, or at a blank line or another marker unless `through_blank`."""
    for number in range(after + 1, len(lines) + 1):
        text = lines[number - 1].strip()
        if not through_blank and (not text or MARKER.match(text)):
            return None
        if text and not text.startswith("#"):
            return number
    return None


def shown_excerpts(project, figure) -> list[dict]:
    """The marked statements behind a figure, in the order a student follows them: each trained
    model's class (the forward pass) and recipe (the training step), then the drawing module.
    Each excerpt names its file (project-relative) and its first line there."""
    from figgen.loader import module_file
    from figgen.text import read_text

    modules = []
    for name in figure.models:
        modules += [project.models[name].module, project.models[name].recipe]
    modules.append(figure.draw)
    shown = []
    for module in dict.fromkeys(modules):  # two models of one class and recipe show them once
        relative = module_file(project.package, module)
        path = project.root / relative
        if path.is_file():
            shown += [{"path": relative, **excerpt} for excerpt in excerpts(read_text(path, relative, python=True))]
    return shown
