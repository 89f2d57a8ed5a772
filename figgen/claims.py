"""Claims: a sentence of a page whose truth depends on the run, checked like the numbers it quotes.

figgen.yaml names each claim and the condition that makes it true, over metrics and facts
(measurements.py):

    claims:
      ae_beats_jpeg: "@jpeg_vs_autoencoder.ae_mse < @jpeg_vs_autoencoder.jpeg_mse_same_bytes"
      lstm_remembers: "lstm.accuracy_by_delay.80 > 2 * rnn.accuracy_by_delay.80 and lstm.test_accuracy >= 0.9"

and the page marks the sentence that states it (the shortcode prints its text unchanged):

    {{% figgen-claim "ae_beats_jpeg" %}}À taille égale, le code de l'autoencodeur fait mieux.{{% /figgen-claim %}}

`figgen build` warns when a claim is false; `figgen check` fails at the page's line with the
values, and on a page marking a claim that figgen.yaml does not declare.

The condition language is tiny and never evaluated by Python: keys, numbers and quoted texts,
`+ - * /`, comparisons (chained too: `0.5 < x <= 1`), `and`, `or`, `not` and parentheses. A key
is written as in a placeholder (`@figure.fact`, `model.metric.40`); a minus between two keys
needs spaces (`a - b`), since `-` may belong to a name.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, field

from figgen.measurements import UnknownMeasurement, lookup

_TOKEN = re.compile(r"""(?P<text>"[^"]*"|'[^']*')|(?<![\w.@])(?P<key>@?[^\W\d][\w/]*(?:-\w+)*(?:\.\w+(?:-\w+)*)+)""")
_COMPARE = {ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
_SYMBOL = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!="}


class ClaimSyntax(ValueError):
    """A condition outside the grammar: the message says what was not understood."""


class ClaimUndecided(ValueError):
    """A condition whose values are missing or of the wrong kind in this build."""


@dataclass(frozen=True)
class Condition:
    text: str  # as written in figgen.yaml
    tree: ast.expr  # keys replaced by the names _k0, _k1...
    keys: tuple[str, ...]  # _kN is keys[N]


@dataclass(frozen=True)
class Verdict:
    name: str
    condition: str
    holds: bool | None  # None: undecided (a value missing or not a number)
    values: dict = field(default_factory=dict)  # key -> value read from figgen.json
    problem: str = ""

    def values_text(self) -> str:
        return ", ".join(f"{key} = {_shown(value)}" for key, value in self.values.items())


def _shown(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else repr(value) if isinstance(value, str) else str(value)


def parse_condition(text: str) -> Condition:
    """The condition's tree, or ClaimSyntax; nothing is evaluated."""
    keys: list[str] = []

    def named(match: re.Match) -> str:
        if match["text"] is not None:
            return match["text"]
        keys.append(match["key"])
        return f"_k{len(keys) - 1}"

    source = _TOKEN.sub(named, text.strip())
    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise ClaimSyntax(f'"{text}" is not a condition (write e.g. "@figure.fact < model.metric")') from None
    _check(tree, text, len(keys))
    if not _is_boolean(tree):
        raise ClaimSyntax(f'"{text}" says no comparison: a claim is true or false (use <, <=, >, >=, == or !=)')
    return Condition(text.strip(), tree, tuple(keys))


def _is_boolean(node: ast.expr) -> bool:
    return isinstance(node, (ast.Compare, ast.BoolOp)) or isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not)


def _check(node: ast.AST, text: str, key_count: int) -> None:
    """Only the grammar's nodes: no call, no attribute, no name but a key, no subscript."""
    allowed = isinstance(node, (ast.Compare, ast.BoolOp, ast.BinOp, ast.UnaryOp, ast.And, ast.Or, ast.Not, ast.USub,
                                ast.UAdd, *_COMPARE, *_ARITHMETIC))
    if isinstance(node, ast.Constant):
        allowed = type(node.value) in (int, float, str)
    elif isinstance(node, ast.Name):
        allowed = re.fullmatch(r"_k\d+", node.id) is not None and int(node.id[2:]) < key_count
        if not allowed:
            raise ClaimSyntax(f'"{text}": "{node.id}" is not a key (write @figure.fact or model.metric)')
    if not allowed:
        raise ClaimSyntax(f'"{text}": {type(node).__name__.lower()} is not allowed (keys, numbers, "texts", '
                          "+ - * /, comparisons, and, or, not)")
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, ast.expr_context):
            _check(child, text, key_count)


def evaluate(condition: Condition, values: dict) -> bool:
    """The condition's truth given each key's value; ClaimUndecided when a value cannot be used."""
    def number(value):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ClaimUndecided(f"{_shown(value)} is not a number")
        return value

    def value_of(node):
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return values[condition.keys[int(node.id[2:])]]
        if isinstance(node, ast.UnaryOp):
            operand = value_of(node.operand)
            return (not operand) if isinstance(node.op, ast.Not) else -number(operand) if isinstance(
                node.op, ast.USub) else number(operand)
        if isinstance(node, ast.BinOp):
            left, right = number(value_of(node.left)), number(value_of(node.right))
            if isinstance(node.op, ast.Div) and right == 0:
                raise ClaimUndecided("a division by zero")
            return _ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.BoolOp):
            results = (bool(value_of(v)) for v in node.values)
            return all(results) if isinstance(node.op, ast.And) else any(results)
        left = value_of(node.left)  # ast.Compare, chained: a < b <= c
        for op, comparator in zip(node.ops, node.comparators):
            right = value_of(comparator)
            if not isinstance(op, (ast.Eq, ast.NotEq)):
                number(left), number(right)
            elif isinstance(left, str) != isinstance(right, str):
                raise ClaimUndecided(f"{_shown(left)} {_SYMBOL[type(op)]} {_shown(right)} compares a text with a number")
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    return bool(value_of(condition.tree))


def syntax_problem(text: str, model_names, figure_names) -> str | None:
    """What is wrong with a declared condition before anything is built: its grammar or its keys."""
    try:
        condition = parse_condition(text)
    except ClaimSyntax as problem:
        return str(problem)
    for key in condition.keys:
        head = key.split(".", 1)[0]
        if head.startswith("@") and head[1:] not in figure_names:
            return f'"{key}": no figure "{head[1:]}" (facts are written @figure_stem.fact)'
        if not head.startswith("@") and head not in model_names:
            return (f'"{key}": no model "{head}" (models: {", ".join(sorted(model_names)) or "none"}; '
                    "a figure's fact starts with @)")
    return None


def judge(name: str, text: str, document: dict, source: str = "figgen.json") -> Verdict:
    """Whether the claim holds in this figgen.json document, with the values it read."""
    condition = parse_condition(text)
    values = {}
    try:
        for key in condition.keys:
            values[key] = lookup(document, key, source)
        return Verdict(name, condition.text, evaluate(condition, values), values)
    except (UnknownMeasurement, ClaimUndecided) as problem:
        return Verdict(name, condition.text, None, values, str(problem))


def judge_all(claims, document: dict, source: str = "figgen.json") -> list[Verdict]:
    """`claims`: the project's ClaimSpecs (config/model.py)."""
    return [judge(claim.name, claim.condition, document, source) for claim in claims]


def verdict_text(verdict: Verdict) -> str:
    """`is false: @a.x = 0.03, @a.y = 0.02` or `cannot be decided: ...`, after the claim's name."""
    if verdict.holds is None:
        return f'cannot be decided ({verdict.condition}): {verdict.problem}'
    said = "holds" if verdict.holds else "is false"
    return f"{said} ({verdict.condition}): {verdict.values_text()}"
