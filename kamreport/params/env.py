"""``${NAME}`` and ``${NAME:-default}`` in params paths, from the environment."""

from __future__ import annotations

import os
import re

from kamreport.errors import ParamsError

_ENV = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>[^}]*))?\}")


def expand_env(text: str) -> str:
    """``${NAME}`` and ``${NAME:-default}`` in a path replaced from the environment.

    Lets a params file point at data that lives elsewhere on each machine, e.g.
    ``base_dir: ${SUPERSTORE_DIR:-../data}``.

    Raises
    ------
    ParamsError
        A variable without a default is not set.
    """

    def value(match: re.Match[str]) -> str:
        name, default = match.group("name"), match.group("default")
        if name in os.environ:
            return os.environ[name]
        if default is None:
            raise ParamsError(
                f"environment variable {name} is not set (used in the path {text!r}); "
                f"set it or give a default: ${{{name}:-…}}"
            )
        return default

    return _ENV.sub(value, text)
