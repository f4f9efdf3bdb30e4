"""Map upstream model names to canonical ids: registry aliases + normalisation, never guessing.

``normalise`` folds case, separators and org prefixes so that ``Llama 4 Maverick``,
``llama-4-maverick`` and ``meta-llama/Llama-4-Maverick`` compare equal. ``Matcher.match``
then tries the exact normalised key; failing that it peels *settings* off the end of the
name (a parenthesised suffix, a mode/precision/quantisation suffix such as ``-thinking``,
``-turbo``, ``-FP8``, ``_16K``, ``-q8_0``, an OpenRouter ``:variant``, a trailing ``, ...``
clause, an Aider ``whole|diff ...`` edit-format tail) and
retries, returning what it peeled as the score's ``setting``. It never does fuzzy or prefix
matching: ``DeepSeek-R1-Distill-Qwen-32B`` can only reach the distill, never R1 or Qwen2.5.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from etl.registry import Model

_SEP = re.compile(r"[\s_]+")
_DASHES = re.compile(r"-{2,}")
_PAREN_TAIL = re.compile(r"^(?P<base>.*?)\s*\((?P<setting>[^()]*)\)\s*$")
_COLON_TAIL = re.compile(r"^(?P<base>[^:]+):(?P<setting>[\w.\-]+)$")
_COMMA_TAIL = re.compile(r"^(?P<base>[^,]+),\s*(?P<setting>.+)$")
# Aider's free-text labels: "<model> <edit format> [with/on <provider>...]"
_EDIT_FORMAT_TAIL = re.compile(
    r"^(?P<base>.+?)\s+(?P<setting>(?:whole|diff|diff-fenced|udiff|architect)(?:\s.*)?)$", re.I)
# reasoning mode / budget / hosting / precision / quantisation suffixes. "-no-thinking" before
# "-thinking"; a suffix is only peeled at the very end, so "Qwen3-235B-A22B-Thinking-2507"
# (a distinct checkpoint) is never touched.
_MODE_TAIL = re.compile(
    r"^(?P<base>.+?)[-_](?P<setting>no-thinking|highthinking|thinking|default|"
    r"high|medium|low|minimal|turbo|fp8|bf16|fp16|gguf|int4|int8|awq|"
    r"q\d(?:_k)?(?:_[a-z0-9]+)?|\d+k)$", re.I)


_ORG_PREFIX = re.compile(r"^(?:[a-z0-9@~][a-z0-9_.:@~+\-]*/)+")


def normalise(name: str) -> str:
    s = str(name).strip().lower()
    # org or provider prefixes: meta-llama/..., openrouter/qwen/... -- only org-like segments, so a
    # hostile name such as "<script>x</script>" is not cut down to "script>" and matched by accident
    s = _ORG_PREFIX.sub("", s)
    s = _SEP.sub("-", s)
    s = _DASHES.sub("-", s)
    return s.strip("-.")


@dataclass(frozen=True)
class Match:
    name: str
    model_id: str | None
    setting: str = ""


class AmbiguousAlias(ValueError):
    pass


class Matcher:
    """Ids and aliases are *strong* keys: one may name only one model (else ``AmbiguousAlias``).
    Display names are *weak* keys: a human label such as "Llama 3.1 8B" yields to a checkpoint
    id that normalises the same way (``meta-llama/Llama-3.1-8B``, the base model), so a label can
    never pull a base checkpoint's scores onto the instruct model."""

    def __init__(self, models: Iterable[Model]):
        models = list(models)
        self._index: dict[str, str] = {}
        for m in models:
            for key in {normalise(m.model_id)} | {normalise(a) for a in m.aliases}:
                other = self._index.get(key)
                if other and other != m.model_id:
                    raise AmbiguousAlias(f"{key!r} names both {other} and {m.model_id}")
                self._index[key] = m.model_id
        strong = set(self._index)
        for m in models:
            key = normalise(m.name)
            if key in strong:
                continue
            other = self._index.get(key)
            if other and other != m.model_id:
                raise AmbiguousAlias(f"display name {key!r} names both {other} and {m.model_id}")
            self._index[key] = m.model_id

    def lookup(self, name: str) -> str | None:
        return self._index.get(normalise(name))

    def match(self, name: str) -> Match:
        if name is None or not str(name).strip():
            return Match(str(name or ""), None)
        base, settings = str(name).strip(), []
        for _ in range(6):
            found = self.lookup(base)
            if found:
                return Match(name, found, "; ".join(reversed(settings)))
            for pattern in (_PAREN_TAIL, _MODE_TAIL, _COLON_TAIL, _COMMA_TAIL, _EDIT_FORMAT_TAIL):
                m = pattern.match(base)
                if m and m.group("base").strip():
                    base, setting = m.group("base").strip(), m.group("setting").strip()
                    settings.append(setting)
                    break
            else:
                break
        return Match(name, None)
