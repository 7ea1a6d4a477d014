"""The one exception tree of errors.py: every exception class homebody defines derives from HomebodyError."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import homebody
from homebody.errors import HomebodyError


def test_every_exception_class_in_homebody_is_a_homebody_error() -> None:
    outside = []
    for info in pkgutil.walk_packages(homebody.__path__, prefix="homebody."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == info.name and issubclass(value, BaseException):
                if not issubclass(value, HomebodyError):
                    outside.append(f"{info.name}.{name}")
    assert outside == []


def test_public_exceptions_live_in_errors_py() -> None:
    public = []
    for info in pkgutil.walk_packages(homebody.__path__, prefix="homebody."):
        if info.name.endswith("__main__") or info.name == "homebody.errors":
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == info.name and issubclass(value, BaseException):
                if not name.startswith("_"):
                    public.append(f"{info.name}.{name}")
    assert public == []
