"""The grammar of ``[effects] formula``: which covariates and functions a formula may use, parsed
without evaluating anything (the effects themselves: :mod:`policytopics.estimate.effects`).

It lives with the settings because the study file's check reads it: a formula that cannot be
read is refused when the study is loaded, before any work.
"""

from __future__ import annotations

import re

#: The covariates a formula may use, and whether each is a category.
COVARIATES = {"region": True, "period": True, "area": True, "year": False}

#: The functions a formula may call, as a user writes them: ``spline(x, k)`` is a B-spline of a
#: number covariate ``x`` with ``k`` degrees of freedom (:data:`SPLINE_DF`).
#:
#: A formula is made of the covariates, these functions, ``+`` (add a term), ``*`` (both terms
#: and their interaction), ``:`` (the interaction alone) and parentheses. Anything else
#: (``{…}``, attribute access, another function, a string) is refused by
#: :func:`formulaic_formula`, and only the formula it writes back from the parsed pieces
#: reaches formulaic, which would evaluate Python in ``{…}`` and in function calls.
FUNCTIONS = {"spline": "spline(x, k)"}

#: The degrees of freedom a spline may have (formulaic's ``bs`` needs at least its degree, 3).
SPLINE_DF = (3, 20)

_OPERATORS = "+*:(),"
_TOKEN = re.compile(r"\s*([+*:(),]|[^\s+*:(),]+)")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_DEPTH = 20


class EffectFormulaError(ValueError):
    """A formula names an unknown covariate or cannot be read."""


def formulaic_formula(formula: str) -> str:
    """The formula in formulaic's terms (``spline(x, k)`` becomes ``bs(x, df=k)``), written
    back from its parsed pieces: nothing of the user's text is evaluated.

    Raises :class:`EffectFormulaError` naming the first piece that is not a covariate, a
    listed function (:data:`FUNCTIONS`), a spline's number or one of ``+ * : ( ) ,``.

    >>> formulaic_formula("region + spline(year, 4)")
    'region + bs(year, df=4)'
    """
    return _FormulaParser(formula).parse()[0]


def formula_covariates(formula: str) -> list[str]:
    """The covariates a formula uses, in :data:`COVARIATES` order.

    >>> formula_covariates("area * year")
    ['area', 'year']
    """
    names = _FormulaParser(formula).parse()[1]
    return [name for name in COVARIATES if name in names]


class _FormulaParser:
    """Recursive descent over the tokens of a formula::

        formula := term ("+" term)*
        term    := factor (("*" | ":") factor)*
        factor  := covariate | "spline" "(" covariate "," number ")" | "(" formula ")"
    """

    def __init__(self, formula):
        if not isinstance(formula, str):
            raise EffectFormulaError(f"the formula must be text, got {formula!r}")
        self.formula = formula
        if "~" in formula:
            raise EffectFormulaError(f"the formula names the covariates only (no '~'): {formula!r}; "
                                     "every topic is the outcome")
        self.tokens = self._tokens()
        self.current = next(self.tokens, None)
        self.names: set[str] = set()

    def _tokens(self):
        position = 0
        while True:
            match = _TOKEN.match(self.formula, position)
            if match is None:  # only white space is left
                return
            piece = match.group(1)
            if not (piece in _OPERATORS or _IDENTIFIER.fullmatch(piece)
                    or (piece.isascii() and piece.isdigit())):
                self._refuse(piece)
            yield piece
            position = match.end()

    def _refuse(self, piece, why=""):
        why = why or (f"a formula holds only the covariates ({', '.join(COVARIATES)}), "
                      f"{', '.join(FUNCTIONS.values())}, and + * : ( )")
        raise EffectFormulaError(f"cannot read the formula {self.formula!r} at {piece!r}: {why}")

    def _take(self, expected=None):
        piece = self.current
        if piece is None:
            raise EffectFormulaError(f"cannot read the formula {self.formula!r}: it ends early"
                                     + (f" (expected {expected!r})" if expected else ""))
        if expected is not None and piece != expected:
            self._refuse(piece, f"expected {expected!r}")
        self.current = next(self.tokens, None)
        return piece

    def parse(self) -> tuple[str, set[str]]:
        if self.current is None:
            raise EffectFormulaError("the formula is empty")
        text = self._formula(0)
        if self.current is not None:
            self._refuse(self.current, "expected + * or : between terms")
        return text, self.names

    def _formula(self, depth):
        parts = [self._term(depth)]
        while self.current == "+":
            self._take()
            parts.append(self._term(depth))
        return " + ".join(parts)

    def _term(self, depth):
        text = self._factor(depth)
        while self.current in ("*", ":"):
            operator = self._take()
            text += (" * " if operator == "*" else ":") + self._factor(depth)
        return text

    def _factor(self, depth):
        piece = self._take()
        if piece == "(":
            if depth >= _MAX_DEPTH:
                self._refuse(piece, f"more than {_MAX_DEPTH} nested parentheses")
            text = self._formula(depth + 1)
            self._take(")")
            return f"({text})"
        if self.current == "(":
            return self._function(piece)
        return self._covariate(piece)

    def _covariate(self, piece, *, number=False):
        if piece not in COVARIATES:
            if piece.isdigit():
                self._refuse(piece, "a number belongs only in spline(x, k)")
            if _IDENTIFIER.fullmatch(piece):
                raise EffectFormulaError(f"the formula {self.formula!r} names {piece!r}; a formula may "
                                         f"use {', '.join(COVARIATES)} and {', '.join(FUNCTIONS.values())}")
            self._refuse(piece)
        if number and COVARIATES[piece]:
            self._refuse(piece, f"{piece} is a category; a spline takes a number covariate "
                                f"({', '.join(n for n, category in COVARIATES.items() if not category)})")
        self.names.add(piece)
        return piece

    def _function(self, name):
        if name not in FUNCTIONS:
            self._refuse(name, f"unknown function; a formula may call {', '.join(FUNCTIONS.values())}")
        self._take("(")
        covariate = self._covariate(self._take(), number=True)
        self._take(",")
        df = self._take()
        low, high = SPLINE_DF
        if not (df.isascii() and df.isdigit() and low <= int(df) <= high):
            self._refuse(df, f"a spline's degrees of freedom are a whole number from {low} to {high}")
        self._take(")")
        return f"bs({covariate}, df={int(df)})"


__all__ = ["COVARIATES", "FUNCTIONS", "SPLINE_DF", "EffectFormulaError", "formula_covariates",
           "formulaic_formula"]
