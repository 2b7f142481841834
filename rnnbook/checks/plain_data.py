"""Checker inputs and reference outputs as plain JSON data and arrays (saved without pickle), for
the checks that run against recorded answers (rnnbook.checks.recorded)."""

import numpy as np


def encode(value, arrays):
    """Plain data for JSON, with every array appended to `arrays` (saved without pickle)."""
    if isinstance(value, dict):
        return {"dict": [[str(k), encode(v, arrays)] for k, v in value.items()]}
    if isinstance(value, tuple | list):
        return {type(value).__name__: [encode(v, arrays) for v in value]}
    if isinstance(value, str):
        return {"str": value}
    if value is None:
        return {"none": None}
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or array.dtype.kind not in "biuf":
        return {"other": type(value).__name__}
    arrays.append(array)
    return {"array": len(arrays) - 1, "scalar": type(value).__name__ if array.ndim == 0 else None}


class Other:
    """Stands for a value whose type cannot be stored (a checker names the type)."""


def decode(node, arrays):
    """The value encode() described; arrays: what np.load gave (keys arr_0, arr_1, ...)."""
    if "dict" in node:
        return {k: decode(v, arrays) for k, v in node["dict"]}
    if "tuple" in node:
        return tuple(decode(v, arrays) for v in node["tuple"])
    if "list" in node:
        return [decode(v, arrays) for v in node["list"]]
    if "str" in node:
        return node["str"]
    if "none" in node:
        return None
    if "array" in node:
        array = arrays[f"arr_{node['array']}"]
        scalar = {"int": int, "float": float, "bool": bool}.get(node.get("scalar"))
        return scalar(array) if scalar else array[()] if node.get("scalar") else array
    return type(node["other"], (Other,), {})()
