"""kamreport: key-account-management reporting from a company's raw exports.

The public API is what the notebooks call; everything else is internal.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
