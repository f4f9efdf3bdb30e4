"""Parsers for the strings upstreams use for sizes, context windows, percentages and CIs.

Every function takes text (or a number) and either returns a value or raises
``ValidationError`` (a ``ValueError``) with a one-line message -- never anything else, whatever
the input (property-tested in tests/test_parsing_properties.py). ``format_*`` functions are their
inverses where one exists: ``parse_x(format_x(v)) == v``.

Conventions
- Parameter counts are in billions: ``"1.5B"`` -> 1.5, ``"560M"`` -> 0.56, ``"1.2T"`` -> 1200.
- Model size specs: ``"235B-A22B"`` (total, active), ``"A22B"`` (active only), ``"17B-16E"``
  (Llama 4: 17B active, 16 experts), ``"8x7B"`` (8 experts of 7B; the total is *not* 56B because
  attention is shared, so it stays unknown).
- Context windows are binary: ``"128K"`` = 131,072 tokens and ``"1M"`` = 1,048,576, as model
  cards and configs use them (Llama 4 Scout's "10M" = 10,485,760); ``"1,048,576"`` and ``"32768"``
  are exact.
- Percentages: ``"27.7%"``, ``"27.7"``, ``27.7`` -> 27.7 within 0-100 (a fraction is not guessed).
- CIs: ``"+4/-4"``, ``"+13.5/-12"``, ``"±4"`` -> (plus, minus) half-widths, both >= 0.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_INPUT = 200  # longer strings are never a size, context or percent


class ValidationError(ValueError):
    """The text is not a valid value of the expected kind (one short line)."""


def _text(value, what: str) -> str:
    if isinstance(value, bool) or value is None:
        raise ValidationError(f"{what}: no value")
    s = str(value).strip()
    if not s:
        raise ValidationError(f"{what}: blank")
    if len(s) > MAX_INPUT:
        raise ValidationError(f"{what}: too long ({len(s)} chars)")
    return s


def _finite(x: float, what: str, raw) -> float:
    if not math.isfinite(x):
        raise ValidationError(f"{what}: not finite: {str(raw)[:30]!r}")
    return x


_NUM = r"((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
_PARAMS = re.compile(rf"^{_NUM}\s*([KMBT])?$", re.I)
_SCALE_B = {"K": 1e-6, "M": 1e-3, "B": 1.0, "T": 1e3, None: 1.0}


def finite_number(v) -> float | None:
    """A number (or numeric text) as a finite float; None for None, booleans, text that is not a
    number, NaN and infinities -- unknown stays unknown, never 0. The one lenient number rule."""
    if v is None or isinstance(v, bool):
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def integer(v, minimum: int | None = None, digit_text: bool = False) -> int | None:
    """An exact whole number: an int or an integral float (``digit_text``: also a string of
    digits); None for anything else, for booleans, and below ``minimum``."""
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if digit_text and isinstance(v, str) and v.strip().isdigit():
        v = int(v.strip())
    if not isinstance(v, int) or (minimum is not None and v < minimum):
        return None
    return v


def parse_params_b(value) -> float:
    """``"1.5B"`` -> 1.5; ``"560M"`` -> 0.56; ``"1.2T"`` -> 1200.0; ``7`` -> 7.0 (billions). Positive."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = _finite(float(value), "params", value)
    else:
        s = _text(value, "params").replace(",", "")
        m = _PARAMS.match(s)
        if not m:
            raise ValidationError(f"params: not a size like '7B': {s[:30]!r}")
        x = _finite(float(m.group(1)) * _SCALE_B[(m.group(2) or "").upper() or None], "params", s)
    if x <= 0:
        raise ValidationError(f"params: must be positive, got {value!r}"[:80])
    return x


def format_params_b(x: float) -> str:
    """Inverse of parse_params_b for positive finite floats (``repr`` precision)."""
    if not (isinstance(x, (int, float)) and math.isfinite(x) and x > 0):
        raise ValidationError(f"params: cannot format {x!r}")
    return f"{float(x)!r}B"


@dataclass(frozen=True)
class SizeSpec:
    total_b: float | None = None
    active_b: float | None = None
    experts: int | None = None
    expert_b: float | None = None  # "8x7B": size of one expert


_SIZE_B = rf"{_NUM}\s*([MBT])"
_SPECS = [
    (re.compile(rf"^{_SIZE_B}\s*-\s*A{_SIZE_B}$", re.I), "total_active"),
    (re.compile(rf"^A{_SIZE_B}$", re.I), "active"),
    (re.compile(rf"^{_SIZE_B}\s*-\s*(\d+)\s*E$", re.I), "active_experts"),
    (re.compile(rf"^(\d+)\s*[x×]\s*{_SIZE_B}$", re.I), "experts_x"),
    (re.compile(rf"^{_SIZE_B}$", re.I), "total"),
]


def parse_size_spec(value) -> SizeSpec:
    """Parse a model-name size token: ``"235B-A22B"``, ``"A22B"``, ``"17B-16E"``, ``"8x7B"``, ``"1.5B"``."""
    s = _text(value, "size").replace(" ", "")

    def b(num, unit):
        return parse_params_b(f"{num}{unit}")
    for rx, kind in _SPECS:
        m = rx.match(s)
        if not m:
            continue
        g = m.groups()
        if kind == "total_active":
            total, active = b(g[0], g[1]), b(g[2], g[3])
            if active > total:
                raise ValidationError(f"size: active {active:g}B exceeds total {total:g}B")
            return SizeSpec(total_b=total, active_b=active)
        if kind == "active":
            return SizeSpec(active_b=b(g[0], g[1]))
        if kind == "active_experts":
            n = int(g[2])
            if n <= 0 or n > 100_000:
                raise ValidationError(f"size: implausible expert count {n}")
            return SizeSpec(active_b=b(g[0], g[1]), experts=n)
        if kind == "experts_x":
            n = int(g[0])
            if n <= 0 or n > 100_000:
                raise ValidationError(f"size: implausible expert count {n}")
            return SizeSpec(experts=n, expert_b=b(g[1], g[2]))
        return SizeSpec(total_b=b(g[0], g[1]))
    raise ValidationError(f"size: not a size spec: {s[:30]!r}")


_CTX = re.compile(rf"^{_NUM}\s*([KM])?\s*(?:tokens?)?$", re.I)
_CTX_SCALE = {"K": 1024, "M": 1024 * 1024, "": 1}
MAX_CONTEXT = 1 << 40


def parse_context_tokens(value) -> int:
    """``"128K"`` -> 131072; ``"10M"`` -> 10485760; ``"1,048,576"`` -> 1048576; ``32768`` -> 32768."""
    if isinstance(value, int) and not isinstance(value, bool):
        n = value
    else:
        s = _text(value, "context")
        if re.fullmatch(r"\d{1,3}(,\d{3})+", s):
            s = s.replace(",", "")
        m = _CTX.match(s)
        if not m:
            raise ValidationError(f"context: not a token count like '128K': {s[:30]!r}")
        x = float(m.group(1)) * _CTX_SCALE[(m.group(2) or "").upper()]
        if not x.is_integer():
            raise ValidationError(f"context: not a whole number of tokens: {s[:30]!r}")
        n = int(x)
    if n <= 0 or n > MAX_CONTEXT:
        raise ValidationError(f"context: implausible token count {str(n)[:20]}")
    return n


def format_context_tokens(n: int) -> str:
    """``131072`` -> ``"128K"``, ``1048576`` -> ``"1M"``, ``1000`` -> ``"1000"`` (exact, parseable)."""
    if isinstance(n, bool) or not isinstance(n, int) or n <= 0 or n > MAX_CONTEXT:
        raise ValidationError(f"context: cannot format {n!r}")
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)}M"
    if n % 1024 == 0:
        return f"{n // 1024}K"
    return str(n)


_PCT = re.compile(rf"^([-+]?){_NUM}\s*%?$")


def parse_percent(value) -> float:
    """``"27.7%"``, ``"27.7"`` or ``27.7`` -> 27.7; must lie within 0-100."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        x = _finite(float(value), "percent", value)
    else:
        s = _text(value, "percent")
        m = _PCT.match(s)
        if not m:
            raise ValidationError(f"percent: not a percentage: {s[:30]!r}")
        x = _finite(float(m.group(1) + m.group(2)), "percent", s)
    if not 0.0 <= x <= 100.0:
        raise ValidationError(f"percent: {x:g} outside 0-100")
    return x


def format_percent(x: float) -> str:
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or not 0 <= x <= 100:
        raise ValidationError(f"percent: cannot format {x!r}")
    return f"{float(x)!r}%"


_CI = re.compile(rf"^\+\s*{_NUM}\s*/\s*-\s*{_NUM}$")
_PM = re.compile(rf"^(?:±|\+/-|\+-)\s*{_NUM}$")


def parse_ci(value) -> tuple[float, float]:
    """``"+13/-12"`` -> (13.0, 12.0); ``"±4"`` -> (4.0, 4.0): plus and minus half-widths."""
    s = _text(value, "CI").replace(" ", "")
    m = _CI.match(s)
    if m:
        return _finite(float(m.group(1)), "CI", s), _finite(float(m.group(2)), "CI", s)
    m = _PM.match(s)
    if m:
        x = _finite(float(m.group(1)), "CI", s)
        return x, x
    raise ValidationError(f"CI: not like '+4/-4': {s[:30]!r}")


def format_ci(plus: float, minus: float) -> str:
    for x in (plus, minus):
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x) or x < 0:
            raise ValidationError(f"CI: cannot format {x!r}")
    return f"+{float(plus)!r}/-{float(minus)!r}"
