"""Registry of upstream sources. Add a module here and it is refreshed, summarised and tested.

An entry is a module name in this package (``"aider"``) or a full dotted module path
(``"tests.toy_source"``, how the add-a-source test registers its own); the module defines ``SOURCE``."""
from __future__ import annotations

import importlib

from etl.sources.base import Source

SOURCE_MODULES = [
    "hf_config",
    "maxtext",
    "aider",
    "lmarena",
    "livebench",
    "epoch",
    "open_llm_leaderboard",
    "evalplus",
    "vendor_claims",
    "licences",
    "litellm",
    "openrouter",
    "hf_hub",
]


def all_sources() -> list[Source]:
    return [importlib.import_module(name if "." in name else f"etl.sources.{name}").SOURCE for name in SOURCE_MODULES]


def sources_of_kind(kind: str) -> list[Source]:
    """The registered sources of one ``Source.kind`` (e.g. every eval source), in registry order."""
    return [s for s in all_sources() if s.kind == kind]


def get_source(name: str) -> Source:
    for src in all_sources():
        if src.name == name:
            return src
    raise KeyError(f"unknown source {name!r}; known: {', '.join(s.name for s in all_sources())}")
