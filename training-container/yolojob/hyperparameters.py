"""Types hyperparameters.json (all strings) back into ultralytics train arguments.

The allow-list and the types live in hyperparameters.schema.json, shared with the action, so a
key the action accepts is a key this entrypoint understands, and anything else fails loudly.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import HyperparameterError
from .paths import SCHEMA_FILE

KNOWN_TYPES = {"int", "float", "bool", "enum", "string", "batch"}


def load_schema(path: Path = SCHEMA_FILE) -> dict[str, dict[str, Any]]:
    arguments = json.loads(path.read_text(encoding="utf-8"))["arguments"]
    for name, spec in arguments.items():
        if (
            spec.get("type") not in KNOWN_TYPES
        ):  # a broken contract file, not a user error
            raise ValueError(
                f"{path}: argument {name!r} has unknown type {spec.get('type')!r}"
            )
    return arguments


def _range_rule(spec: dict[str, Any], kind: str) -> str:
    lo, hi = spec.get("min"), spec.get("max")
    low = f"greater than {lo}" if spec.get("exclusiveMin") else f"at least {lo}"
    if lo is not None and hi is not None:
        return f"must be {kind} {low} and at most {hi}"
    if lo is not None:
        return f"must be {kind} {low}"
    if hi is not None:
        return f"must be {kind} at most {hi}"
    return f"must be {kind}"


def _in_range(x: float, spec: dict[str, Any]) -> bool:
    lo, hi = spec.get("min"), spec.get("max")
    if lo is not None and (x <= lo if spec.get("exclusiveMin") else x < lo):
        return False
    return hi is None or x <= hi


def convert(name: str, value: object, spec: dict[str, Any]) -> Any:
    """One value: the typed value, or HyperparameterError naming the key, the value and the rule."""
    where = f'hyperparameter {name}="{value}"'
    if not isinstance(value, str):
        raise HyperparameterError(
            f"{where}: must be a string, as SageMaker passes every hyperparameter"
        )
    text, kind = value.strip(), spec["type"]
    if kind == "int":
        if not re.fullmatch(r"[+-]?\d+", text) or not _in_range(int(text), spec):
            raise HyperparameterError(f"{where}: {_range_rule(spec, 'an integer')}")
        number = int(text)
        step = spec.get("multipleOf")
        if step and number % step:
            raise HyperparameterError(f"{where}: must be a multiple of {step}")
        return number
    if kind == "batch":
        # ultralytics: batch >= 1 is the size, any batch < 1 AutoBatch (a fraction 0 < b < 1 as
        # that share of GPU memory). The action refuses 0 and other negatives as mistakes.
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if number == -1 or 0 < number < 1:
            return -1 if number == -1 else number
        if number.is_integer() and 1 <= number <= spec.get("max", math.inf):
            return int(number)
        raise HyperparameterError(
            f"{where}: must be an integer from 1, -1 (AutoBatch) or a fraction 0 < b < 1"
        )
    if kind == "float":
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not _in_range(number, spec):
            raise HyperparameterError(f"{where}: {_range_rule(spec, 'a number')}")
        return number
    if kind == "bool":
        if text.lower() not in {"true", "false"}:
            raise HyperparameterError(f"{where}: must be true or false")
        return text.lower() == "true"
    if kind == "enum":
        if text not in spec["values"]:
            raise HyperparameterError(
                f"{where}: must be one of {', '.join(spec['values'])}"
            )
        # ultralytics spells "off" as a boolean for options like cache=False
        return {"true": True, "false": False}.get(text, text)
    pattern = spec.get("pattern")
    if not text or (pattern and not re.fullmatch(pattern, text)):
        rule = f"must match {pattern}" if pattern else "must not be empty"
        raise HyperparameterError(f"{where}: {rule}")
    return text


def parse_hyperparameters(
    raw: Mapping[str, object], schema: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """All values typed; every problem is reported at once so one failed job shows them all."""
    typed: dict[str, Any] = {}
    problems: list[str] = []
    unknown = [f'{name}="{raw[name]}"' for name in sorted(raw) if name not in schema]
    for name in sorted(set(raw) & set(schema)):
        try:
            typed[name] = convert(name, raw[name], schema[name])
        except HyperparameterError as e:
            problems.append(str(e))
    if (
        unknown
    ):  # last: the allowed list is long and FailureReason keeps only 1024 characters
        problems.append(
            f"unknown hyperparameter {', '.join(unknown)}: not an allowed ultralytics train argument "
            f"(allowed: {', '.join(sorted(schema))})"
        )
    if problems:
        raise HyperparameterError("; ".join(problems))
    return typed


def read_hyperparameters(
    path: Path, schema: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """hyperparameters.json is optional (SageMaker omits it when none are set)."""
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise HyperparameterError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(raw, dict):
        raise HyperparameterError(
            f"{path}: must be a JSON object of string values, got {type(raw).__name__}"
        )
    return parse_hyperparameters(raw, schema)
