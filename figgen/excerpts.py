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

import _ast  # the C module alone: `ast`, `re` and `textwrap` would import enum and friends, most
# of the cost of a comment-only build (figgen/freshness/comments.py) on a module with markers

MARKER = "figgen-show:"


def marker_label(line: str) -> str | None:
    """The label of a marker line (`# figgen-show: label`, indented or not), else None."""
    text = line.lstrip(" \t")
    if not text.startswith("#"):
        return None
    text = text[1:].lstrip(" \t")
    if not text.startswith(MARKER):
        return None
    label = text[len(MARKER):].strip(" \t")
    return label if label and not label[0].isspace() else None


def excerpts(source: str) -> list[dict]:
    """[{"label", "line", "code"}], in the file's order: each marked statement, dedented, with
    the number of its first line in the file."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")  # as ast counts lines (not \f)
    marked = [(number, label) for number, line in enumerate(lines, 1) if (label := marker_label(line))]
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
        shown.append({"label": label, "line": start, "code": dedent(lines[start - 1:end])})
    return shown


def dedent(lines: list[str]) -> str:
    """textwrap.dedent of the joined lines: blank lines emptied, the indentation every other line
    shares removed."""
    lines = ["" if not line.strip(" \t") else line for line in lines]
    margin = None
    for line in lines:
        if not line:
            continue
        indent = line[:len(line) - len(line.lstrip(" \t"))]
        if margin is None or margin.startswith(indent):
            margin = indent
        elif not indent.startswith(margin):
            margin = margin[:next(i for i, (a, b) in enumerate(zip(margin, indent)) if a != b)]
    return "\n".join(line[len(margin):] if margin and line.startswith(margin) else line for line in lines)


def _statement_spans(source: str) -> dict[int, int]:
    """First line of each statement (a decorator's, for a decorated one) -> its last line."""
    spans: dict[int, int] = {}
    nodes = [compile(source, "<excerpts>", "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)]  # ast.parse
    while nodes:  # ast.walk
        node = nodes.pop()
        if isinstance(node, _ast.stmt):
            decorators = getattr(node, "decorator_list", [])
            first = min([node.lineno, *(d.lineno for d in decorators)])
            spans[first] = max(spans.get(first, 0), node.end_lineno or node.lineno)
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, _ast.AST):
                nodes.append(value)
            elif isinstance(value, list):
                nodes += [item for item in value if isinstance(item, _ast.AST)]
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
        if not through_blank and (not text or marker_label(text)):
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
