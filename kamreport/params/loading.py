"""Reading a params file: YAML 1.2 booleans, one message per bad key naming the file and the closest key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, ValidationError

from kamreport.errors import ParamsError
from kamreport.params.base import unknown_name
from kamreport.params.run import RunParams


class DuplicateKeyError(yaml.constructor.ConstructorError):
    """A mapping names the same key twice (YAML would silently keep the last)."""


class ParamsLoader(yaml.SafeLoader):
    """YAML with only ``true`` / ``false`` as booleans (as in YAML 1.2), and no key given twice.

    A column called ``No``, ``On`` or ``Y`` stays a name instead of turning into a boolean.
    A key given twice in one mapping is refused: plain YAML keeps the last one silently, so
    a second ``sales:`` pasted lower down would replace the first without a word.
    """

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        """The mapping of ``node``; raises :class:`DuplicateKeyError` naming both lines of a repeated key."""
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, yaml.Node] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":  # `<<: *defaults` overrides on purpose
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.get(key)
                except TypeError:  # an unhashable key: the base class reports it
                    continue
                if first is not None:
                    raise DuplicateKeyError(
                        None,
                        None,
                        f"key '{key}' is given twice, on line {first.start_mark.line + 1} and on line "
                        f"{key_node.start_mark.line + 1}; keep one of them",
                        key_node.start_mark,
                    )
                seen[key] = key_node
        # cast: the stubs accept only a MappingNode, but the base class takes any node and reports a wrong one
        return super().construct_mapping(cast(yaml.MappingNode, node), deep=deep)


ParamsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
ParamsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _model_at(model: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that holds the key at ``loc`` (None when it cannot be told)."""
    current: type[BaseModel] | None = model
    skip_next = False
    for part in loc[:-1]:
        if skip_next:  # a dict key or list index inside a mapping/list of models
            skip_next = False
            continue
        if current is None or not isinstance(part, str) or part not in current.model_fields:
            return None
        annotation = current.model_fields[part].annotation
        skip_next = getattr(annotation, "__origin__", None) in (dict, list)
        current = inner_model(annotation)
    return current


def inner_model(annotation: Any) -> Any:
    """The model inside ``Model``, ``dict[str, Model]``, ``list[Model]`` or ``Model | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = inner_model(arg)
        if found is not None:
            return found
    return None


def explain(error: ValidationError, source: str) -> str:
    """Turn pydantic's errors into one message per key: the key, the file and what to do."""
    lines = []
    for item in error.errors():
        loc = tuple(item["loc"])
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        if item["type"] == "extra_forbidden":
            holder = _model_at(RunParams, loc)
            valid = list(holder.model_fields) if holder else []
            valid = [v for v in valid if v != "source"]
            lines.append(f"{source}: {unknown_name(str(loc[-1]), valid)} (at '{dotted}')")
        else:
            given = item.get("input")
            shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
            lines.append(f"{source}: key '{dotted}': {item['msg']}{shown}")
    return "invalid params file\n" + "\n".join(f"  - {line}" for line in lines)


def load_params(path: str | Path, **overrides: Any) -> RunParams:
    """Read a params YAML file into :class:`RunParams`.

    Parameters
    ----------
    path
        The params file.
    **overrides
        Top-level keys that replace the file's values (e.g. ``regions`` from the CLI).

    Raises
    ------
    ParamsError
        The file is missing, is not YAML, or fails the schema; the message names the key,
        the file and the closest valid key.
    """
    file = Path(path)
    if not file.is_file():
        raise ParamsError(f"params file not found: {file}. Pass the path of a YAML file such as params/demo.yaml.")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = file.read_bytes()[: exc.start].count(b"\n") + 1
        raise ParamsError(
            f"{file}: not UTF-8 text (byte 0x{exc.object[exc.start]:02x} on line {line}); "
            "save the params file as UTF-8 (in most editors: Save As… → Encoding: UTF-8)"
        ) from exc
    try:
        raw = yaml.load(text, Loader=ParamsLoader) or {}
    except DuplicateKeyError as exc:
        raise ParamsError(f"{file}: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise ParamsError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ParamsError(f"{file}: the params file must be a mapping of keys (period: 2026Q3, data: …)")
    raw.update({k: v for k, v in overrides.items() if v is not None})
    raw["source"] = str(file.resolve())
    return parse_params(raw, str(file))


def parse_params(raw: dict[str, Any], source: str = "<params>") -> RunParams:
    """Validate a params mapping (already read from YAML) into :class:`RunParams`."""
    try:
        return RunParams.model_validate(raw)
    except ValidationError as exc:
        raise ParamsError(explain(exc, source)) from exc
