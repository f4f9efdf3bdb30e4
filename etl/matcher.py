"""Map upstream model names to canonical ids: registry aliases + normalisation, never guessing.

``normalise`` folds case and separators (``Llama 4 Maverick`` == ``llama-4-maverick``). A name
may carry prefixes (``groq/meta-llama/llama-4-scout...``, ``braindao/Qwen2.5-14B``); ``route``
splits them off and sorts them (see *Who may stand in front of a name* below). ``Matcher.match``
then tries the exact normalised key; failing that it peels *settings* off the end of the
name (a parenthesised suffix, a mode/precision/quantisation suffix such as ``-thinking``,
``-turbo``, ``-FP8``, ``_16K``, ``-q8_0``, ``-bnb-4bit``, an OpenRouter ``:variant``, a trailing
``, ...`` clause, an Aider ``whole|diff ...`` edit-format tail) and retries, returning what it
peeled as the score's ``setting``. It never does fuzzy or prefix matching:
``DeepSeek-R1-Distill-Qwen-32B`` can only reach the distill, never R1 or Qwen2.5, and
``-instruct``/``-it``/``-chat`` are never peeled (they name a different checkpoint than the base).

Who may stand in front of a name (an organisation prefix is part of a Hub repo id):

1. a provider / API route (``PROVIDER_ROUTES``: ``groq/``, ``together_ai/``, ``openrouter/``,
   ``fireworks_ai/accounts/fireworks/models/``, ``bedrock/<aws region>/``, ``ollama/``, ...):
   who serves the model, not who made it. Peeled, never in a Hub repo id (``hub_repo=True``),
   because there the first segment is always the repository's owner;
2. the model developer's own organisation: the org of the registry id plus its other spellings
   (``VENDOR_ORGS``: ``meta``/``meta-llama``, ``qwen``/``alibaba``, ``deepseek``/``deepseek-ai``,
   ``google``). It must be the *matched model's* org: ``google/Llama-3.1-8B`` is not Meta's;
3. a documented re-uploader of quantised copies of the same weights (``QUANTISERS``: unsloth,
   bartowski, TheBloke, ...), and only when the name names a quantisation format (GGUF, AWQ,
   GPTQ, bnb-4bit, MLX, FP8, ...): the format and the uploader go into ``setting``
   (``unsloth/Llama-3.2-1B-Instruct-bnb-4bit`` -> Llama-3.2-1B-Instruct, ``bnb-4bit; quantised
   re-upload by unsloth``). A re-upload without a format (``unsloth/Llama-3.2-1B-Instruct``,
   with its own chat template and tokenizer fixes) is not the official checkpoint, and neither
   is a full-precision one (``mlx-community/Mistral-Small-24B-Instruct-2501-bf16``: a precision
   tail names no quantisation, so the uploader's implied format does not apply either).

Anything else (``braindao/``, ``jebish7/``, ``nvidia/``: fine-tunes that reuse an official name)
is unmatched, with the reason in ``Match.reason``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from etl.offerings import PROVIDER_NAMES, build_tag, respell
from datetime import date

from etl.registry import AliasWindow, Model, load_api_aliases

_SEP = re.compile(r"[\s_]+")
_DASHES = re.compile(r"-{2,}")
_PAREN_TAIL = re.compile(r"^(?P<base>.*?)\s*\((?P<setting>[^()]*)\)\s*$")
_COLON_TAIL = re.compile(r"^(?P<base>[^:]+):(?P<setting>[\w.\-]+)$")
_COMMA_TAIL = re.compile(r"^(?P<base>[^,]+),\s*(?P<setting>.+)$")
# Aider's free-text labels: "<model> <edit format> [with/on <provider>...]"
_EDIT_FORMAT_TAIL = re.compile(
    r"^(?P<base>.+?)\s+(?P<setting>(?:whole|diff|diff-fenced|udiff|architect)(?:\s.*)?)$", re.I)
# quantisation / conversion formats (a re-uploader prefix is only peeled when one is named)
QUANT_FORMAT = (r"gguf|awq|gptq(?:[-_]int[48])?|(?:unsloth[-_])?bnb[-_][48]bit|[2-8]bit|mlx|exl2|nf4|"
                r"w[48]a(?:8|16)|fp8(?:[-_]dynamic)?|int4|int8|q\d(?:_k)?(?:_[a-z0-9]+)?")
_QUANT_FORMAT = re.compile(rf"^(?:{QUANT_FORMAT})$", re.I)
# reasoning mode / budget / hosting / precision / quantisation suffixes. "-no-thinking" before
# "-thinking"; a suffix is only peeled at the very end, so "Qwen3-235B-A22B-Thinking-2507"
# (a distinct checkpoint) is never touched.
_MODE_TAIL = re.compile(
    r"^(?P<base>.+?)[-_](?P<setting>no-thinking|highthinking|thinking|default|"
    rf"high|medium|low|minimal|turbo|bf16|fp16|{QUANT_FORMAT}|\d+k)$", re.I)

# 1. provider / API routes (lower case, as spelled upstream: "fireworks_ai", not the Hub org
# "fireworks-ai", which publishes fine-tunes). Single segments, plus multi-segment routes.
PROVIDER_ROUTES = frozenset(PROVIDER_NAMES) | {
    "chutes", "crusoe", "gmi", "tensormesh", "libertai", "darkbloom", "bedrock_mantle", "github_copilot",
    "fal_ai", "vertex_ai_beta", "@cf", "@hf",
    # short spellings eval tables use for the same hosts (Epoch: fireworks/Kimi-K2-Instruct-0905)
    "fireworks", "together", "lambda", "vertex",
    # resource paths in front of a name: Gemini API "models/gemini-2.5-pro", Ollama "hf.co/<owner>/<repo>"
    "models", "hf.co", "huggingface.co"}
PROVIDER_MULTI_ROUTES = (("accounts", "fireworks", "models"), ("pinstripes", "ps"))
_AWS_REGION = re.compile(r"^[a-z]{2}(?:-gov)?-[a-z]+-\d$")  # bedrock/us-east-1/...
# 2. the developers' organisations: registry-id org -> every spelling of that org seen upstream
VENDOR_ORGS = {
    "meta-llama": {"meta-llama", "meta", "metaai", "facebook"},
    "qwen": {"qwen", "alibaba", "alibaba-cloud", "qwenlm"},
    "deepseek-ai": {"deepseek-ai", "deepseek"},
    "google": {"google", "google-deepmind"},
}
# 3. re-uploaders of quantised copies of official weights (Hub orgs that publish conversions, not
# fine-tunes); mlx-community's uploads are MLX conversions by definition
QUANTISERS = {"unsloth", "bartowski", "thebloke", "lmstudio-community", "mlx-community", "neuralmagic",
              "redhatai", "hugging-quants", "casperhansen", "modelcloud", "turboderp", "mradermacher",
              "second-state", "ggml-org"}
IMPLIED_FORMAT = {"mlx-community": "MLX"}
_ORG_SEGMENT = re.compile(r"^[a-z0-9@~][a-z0-9_.:@~+\-]*$")


def _fold(s: str) -> str:
    s = _SEP.sub("-", s)
    s = _DASHES.sub("-", s)
    return s.strip("-.")


@dataclass(frozen=True)
class Route:
    """A name split into its prefixes: provider routes peeled, the owner org (if any), the tail."""
    providers: tuple[str, ...]
    org: str | None
    tail: str
    extra_orgs: tuple[str, ...] = ()  # more than one owner-like segment: never a registry model


def route(name: str, hub_repo: bool = False) -> Route:
    """Split ``name`` into provider routes, an owner org and the model tail (all lower case).

    Only org-like leading segments count as prefixes, so a hostile name such as
    ``<script>x</script>`` is not cut down to ``script>`` and matched by accident."""
    s = str(name).strip().lower()
    parts = s.split("/")
    n = 0
    while n < len(parts) - 1 and _ORG_SEGMENT.match(parts[n]):
        n += 1
    prefix, tail = parts[:n], "/".join(parts[n:])
    providers: list[str] = []
    if not hub_repo:
        i = 0
        while i < len(prefix):
            multi = next((r for r in PROVIDER_MULTI_ROUTES if tuple(prefix[i:i + len(r)]) == r), None)
            if multi:
                providers.append("/".join(multi))
                i += len(multi)
            elif prefix[i] in PROVIDER_ROUTES or (providers and _AWS_REGION.match(prefix[i])):
                providers.append(prefix[i])
                i += 1
            else:
                break
        prefix = prefix[i:]
    org = prefix[0] if prefix else None
    return Route(tuple(providers), org, tail, tuple(prefix[1:]))


def normalise(name: str) -> str:
    """The comparison key of a name's model part: case and separators folded, prefixes dropped
    (which prefixes are *allowed* is decided by ``Matcher.match``, not here)."""
    return _fold(route(name).tail)


@dataclass(frozen=True)
class Match:
    name: str
    model_id: str | None
    setting: str = ""
    reason: str = ""  # why an unmatched name was not placed (empty when matched or simply unknown)


class AmbiguousAlias(ValueError):
    pass


def own_orgs(model_id: str) -> set[str]:
    """Every spelling of the organisation that published ``model_id``."""
    org = model_id.split("/", 1)[0].lower() if "/" in model_id else ""
    return VENDOR_ORGS.get(org, set()) | ({org} if org else set())


class Matcher:
    """Ids and aliases are *strong* keys: one may name only one model (else ``AmbiguousAlias``).
    Display names are *weak* keys: a human label such as "Llama 3.1 8B" yields to a checkpoint
    id that normalises the same way (``meta-llama/Llama-3.1-8B``, the base model), so a label can
    never pull a base checkpoint's scores onto the instruct model."""

    def __init__(self, models: Iterable[Model], api_aliases: Iterable[AliasWindow] | None = None):
        """``api_aliases``: validity windows of re-pointed API names (default ``data/api_aliases.yaml``,
        keeping the windows whose model is in ``models``)."""
        models = list(models)
        self._models = {m.model_id: m for m in models}
        windows = load_api_aliases() if api_aliases is None else list(api_aliases)
        self._windows: dict[str, list[AliasWindow]] = {}
        for w in windows:
            if w.model_id in self._models:
                self._windows.setdefault(normalise(w.alias), []).append(w)
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
        # an MoE name without its trailing active-parameter tag (Vercel/Cerebras "qwen-3-235b" for
        # Qwen3-235B-A22B): derived only when it names one model and no key spells it already, and
        # never for a base checkpoint ("gemma-4-26b" is not google/gemma-4-26B-A4B: the short name is
        # a provider's spelling of what it serves, and it does not say base or -it)
        derived: dict[str, set[str]] = {}
        for key, model_id in list(self._index.items()):
            if self._models[model_id].is_base:
                continue
            short = _ACTIVE_TAG.sub(r"\1", key)
            if short != key:
                derived.setdefault(short, set()).add(model_id)
        for short, ids in derived.items():
            if len(ids) == 1 and short not in self._index:
                self._index[short] = next(iter(ids))
        for key in self._windows:
            if key in self._index:
                raise AmbiguousAlias(f"{key!r} is a re-pointed API name (data/api_aliases.yaml) and also a "
                                     f"plain key of {self._index[key]}")

    def lookup(self, name: str) -> str | None:
        """The model whose id, alias or display name is exactly ``name`` once folded (prefixes
        are ignored here: ``match`` decides whether a prefix is allowed)."""
        return self._index.get(normalise(name))

    def _window(self, key: str, as_of: date | None, providers: tuple[str, ...] = ()) -> tuple[AliasWindow | None, str]:
        windows = self._windows.get(key)
        if not windows:
            return None, ""
        if providers and providers[0] not in windows[0].providers:  # the outermost route serves it
            return None, (f"{key!r} via {'/'.join(providers)}: the vendor re-points this name, and what "
                          "this provider serves under it is not known")
        if as_of is None:
            return None, f"{key!r} is re-pointed by its vendor: a date is needed to place it"
        for w in windows:
            if w.start <= as_of and (w.end is None or as_of < w.end):
                return w, ""
        return None, f"{key!r} on {as_of} is outside every known window (data/api_aliases.yaml)"

    def _match_tail(self, tail: str, as_of: date | None = None,
                    providers: tuple[str, ...] = ()) -> tuple[str | None, list[str], str]:
        """(model id or None, settings peeled, why a name was refused)."""
        base, settings = tail.strip(), []
        for _ in range(6):
            key = _fold(base.lower())
            found = self._index.get(key)
            if found:
                # an Ollama-style size tag ("deepseek-r1:70b") is identity: it must be the model's own size
                # (deepseek-r1:671b is R1; deepseek-r1:70b is the Llama-70B distill, not R1)
                for setting in settings:
                    size = _SIZE_SETTING.match(setting)
                    if size and not self._own_size(found, float(size.group(1))):
                        return None, [], f"size tag {setting!r} is not {found}'s size"
                return found, list(reversed(settings)), ""
            window, why = self._window(key, as_of, providers)
            if window:
                return window.model_id, [s for s in [window.setting] if s] + list(reversed(settings)), ""
            if why or _REPOINTED.search(key):
                return None, [], why or f"{key!r} is re-pointed by its vendor (a '-latest' name)"
            for pattern in (_PAREN_TAIL, _MODE_TAIL, _COLON_TAIL, _COMMA_TAIL, _EDIT_FORMAT_TAIL):
                m = pattern.match(base)
                if m and m.group("base").strip():
                    base, setting = m.group("base").strip(), m.group("setting").strip()
                    if _IDENTITY_WORDS.search(setting):  # "Gemini 2.5 Pro (Preview)" is not the GA model
                        return None, [], f"{setting!r} names a checkpoint (preview, experimental, base...), not a setting"
                    settings.append(setting)
                    break
            else:
                break
        # last: a -Base suffix or an own-size tag, on what is left after the settings and on the whole tail
        for cand, kept in ((base, list(reversed(settings))), (tail, [])):
            found = self._match_base_suffix(cand) or self._match_size_tag(cand)
            if found:
                return found, kept, ""
        return None, [], ""

    def _match_base_suffix(self, tail: str) -> str | None:
        """``Qwen2.5-72B-Base`` / ``gemma-2-9b-pt``: the suffix may be dropped only when what remains
        is a base (pre-trained) checkpoint (Qwen/Qwen2.5-72B); ``Qwen3-8B-Base`` never reaches the
        post-trained Qwen3-8B."""
        m = _BASE_SUFFIX.match(tail.strip().lower())
        found = self._index.get(_fold(m.group("base"))) if m else None
        model = self._models.get(found or "")
        return found if model is not None and model.is_base else None

    def _own_size(self, model_id: str, size: float) -> bool:
        model = self._models.get(model_id)
        return model is not None and any(v and abs(size - v) <= max(0.02 * v, 0.05)
                                         for v in (model.total_params_b, model.active_params_b))

    def _released_near(self, model_id: str, day: date, days: int = 7) -> bool:
        released = getattr(self._models.get(model_id), "release_date", None)
        return released is not None and abs((day - released).days) <= days

    def _match_size_tag(self, tail: str) -> str | None:
        """``deepseek-r1-671b``, ``llama-4-maverick-17b``: a trailing size that is the named model's
        own total or active parameter count (never another size: ``deepseek-r1-70b`` stays unknown)."""
        m = _SIZE_TAG.match(tail.strip().lower())
        if not m:
            return None
        found = self._index.get(_fold(m.group("base")))
        model = self._models.get(found or "")
        size = float(m.group("size"))
        if model and any(v and abs(size - v) <= 0.02 * v for v in (model.total_params_b, model.active_params_b)):
            return found
        return None

    def match(self, name: str, hub_repo: bool = False, as_of: date | None = None) -> Match:
        """Place ``name`` on a registry model, or return ``model_id=None``.

        ``hub_repo=True``: ``name`` is a Hugging Face repo id (Open LLM Leaderboard, OpenRouter's
        ``hugging_face_id``), so its first segment is the repository's owner, never a provider.
        ``as_of``: the date the row describes, which places a re-pointed API name (``deepseek-chat``)."""
        if name is None or not str(name).strip():
            return Match(str(name or ""), None)
        text = str(name).strip()
        r = route(text, hub_repo=hub_repo)
        # keep the original case of the tail for the settings we return
        tail = text[len(text) - len(r.tail):] if len(r.tail) <= len(text) else r.tail
        model_id, settings, reason = self._match_tail(tail, as_of, r.providers)
        for spelling in respell(tail)[1:] if not (model_id or reason) else ():  # provider house styles
            model_id, settings, reason = self._match_tail(spelling, as_of, r.providers)
            tag = build_tag(tail) if model_id and not build_tag(spelling) else None
            if tag and not self._released_near(model_id, tag):
                model_id, reason = None, f"build tag {tag} is not the release of {model_id}"
            if model_id or reason:
                break
        if not model_id:
            return Match(text, None, reason=reason)
        if r.extra_orgs:
            return Match(text, None, reason=f"owner path {r.org}/{'/'.join(r.extra_orgs)}/ is not a model developer's")
        if r.org and r.org not in own_orgs(model_id):
            if r.org in QUANTISERS:
                formats = [s for s in settings if _QUANT_FORMAT.match(s)]
                full_precision = not formats and any(_PRECISION.match(x) for x in settings)
                implied = None if full_precision else IMPLIED_FORMAT.get(r.org)
                if formats or implied:
                    settings = settings + ([implied] if implied and implied.lower() not in
                                           {f.lower() for f in formats} else []) + [f"quantised re-upload by {r.org}"]
                    return Match(text, model_id, "; ".join(settings))
                what = "a full-precision re-upload" if full_precision else "re-upload without a quantisation format"
                return Match(text, None, reason=f"{r.org}/ {what}: not the official {model_id}")
            return Match(text, None, reason=f"third-party repository {r.org}/ (not {model_id.split('/')[0]}, "
                                            "a provider or a quantiser): a fine-tune or copy, not the official checkpoint")
        return Match(text, model_id, "; ".join(settings))

    def match_described(self, key: str, label: str = "", notes: str = "") -> Match:
        """A row that names its model in several columns (Epoch's re-keyed tables: ``Model version``
        = the key, ``Name`` = the original source's label, ``Notes``). The key is matched; a label
        that names another registered checkpoint *exactly* is a candidate too. What the label and
        notes state must hold for the model chosen: "Base" / "pre-trained" means a base checkpoint
        ("DeepSeek-V3 Base" keyed to DeepSeek-V3 -> DeepSeek-V3-Base), "Instruct"/"chat"/"-it"
        means not a base one, and a size in the label ("Qwen2.5-Coder-3B") must be the model's.
        Exactly one consistent candidate wins; none or two -> unmatched with the reason."""
        key, label, notes = (str(x or "").strip() for x in (key, label, notes))
        primary = self.match(key) if key else self.match(label)
        candidates = [primary.model_id] if primary.model_id else []
        lab = self.match(label) if label and key else None
        if lab and lab.model_id and not lab.setting and lab.model_id not in candidates:
            candidates.append(lab.model_id)
        if not candidates:
            return Match(key or label, None, reason=primary.reason)
        facts = row_facts(label, notes)
        ok = [c for c in candidates if not self.contradicts(c, facts)]
        if len(ok) == 1:
            setting = primary.setting if ok[0] == primary.model_id else lab.setting
            return Match(key or label, ok[0], setting)
        why = (f"label {label!r} / notes contradict {', '.join(candidates)}" if not ok
               else f"label {label!r} and key {key!r} name two checkpoints ({', '.join(ok)})")
        return Match(key or label, None, reason=why)

    def contradicts(self, model_id: str, facts: dict) -> str:
        """Why ``facts`` (from ``row_facts``) cannot describe ``model_id``; empty when they can."""
        m = self._models.get(model_id)
        if m is None:
            return ""
        if facts.get("base") and not m.is_base:
            return "a base (pre-trained) row on a post-trained model"
        if facts.get("post_trained") and m.is_base:
            return "an instruct/chat row on a base model"
        spellings = " ".join([m.model_id, m.name, *m.aliases])
        own = {float(x) for x in _SIZE.findall(spellings)}
        real = [v for v in (m.total_params_b, m.active_params_b) if v]
        for size in facts.get("sizes", ()):
            if size in own or any(abs(size - v) <= 0.15 * v for v in real):
                continue
            return f"stated size {size:g}B is not {model_id}'s"
        return ""


_REPOINTED = re.compile(r"-latest$")
_PRECISION = re.compile(r"^(?:bf16|fp16|fp32|f16|f32)$", re.I)
_SIZE_SETTING = re.compile(r"^(\d+(?:\.\d+)?)b\b", re.I)
# words that make a "setting" a different checkpoint: never peeled ("chat"/"reasoner" are modes of the
# hybrid DeepSeek V3.x / Qwen3 models and may be)
_IDENTITY_WORDS = re.compile(r"\b(?:preview|exp|experimental|base|pre-?trained|instruct|distill(?:ed)?)\b", re.I)
_BASE_SUFFIX = re.compile(r"^(?P<base>.+)[-_ ](?:base|pt|pretrained|pre-trained)$")
_ACTIVE_TAG = re.compile(r"(?<=\d)(b)-a\d+(?:\.\d+)?b$")
_SIZE_TAG = re.compile(r"^(?P<base>.+)-(?P<size>\d+(?:\.\d+)?)b$")
_SIZE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*b\b", re.I)
_BASE_WORDS = re.compile(r"\bbase\b|\bpre-?trained\b", re.I)
_POST_WORDS = re.compile(r"\binstruct\b|\bchat\b|-it\b|\bit\b(?=\s*\(|$)", re.I)


def row_facts(label: str, notes: str = "") -> dict:
    """What a row's label and notes say about the checkpoint: base / post-trained, stated sizes (B)."""
    label, notes = str(label or ""), str(notes or "")
    return {"base": bool(_BASE_WORDS.search(label) or _BASE_WORDS.search(notes)),
            "post_trained": bool(_POST_WORDS.search(label)),
            "sizes": tuple(float(x) for x in _SIZE.findall(label))}
